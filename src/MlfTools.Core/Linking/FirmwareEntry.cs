namespace MlfTools.Linking
{
    /// <summary>
    /// The main() a measured firmware links: it runs every model once through the helper sources, with one buffer for a
    /// model's inputs and outputs (the models run one after another), and returns non-zero when a run fails. It is the
    /// least a firmware that runs the models holds, so what the linker keeps for it is what the models cost.
    /// </summary>
    internal static class FirmwareEntry
    {
        public const string FileName = "mlf_firmware_main.c";

        /// <summary>The shared input and output buffer, a part of the helpers.</summary>
        public const string IoBufferSymbol = "mlf_firmware_io";

        public const string Source = @"/* The firmware MlfTools links to measure what the models cost: every model run once. */
#include <stddef.h>
#include <stdint.h>

#include ""mlf_models.h""

static uint8_t mlf_firmware_io[MLF_MAX_IO_BYTES > 0 ? MLF_MAX_IO_BYTES : 1] __attribute__((aligned(16)));

int main(void) {
  if (mlf_init() != 0) return 1;
  int failed = 0;
  for (size_t m = 0; m < mlf_model_count; m++) {
    const mlf_model_info* model = &mlf_models[m];
    void* inputs[MLF_MAX_INPUTS > 0 ? MLF_MAX_INPUTS : 1];
    void* outputs[MLF_MAX_OUTPUTS > 0 ? MLF_MAX_OUTPUTS : 1];
    mlf_bind_io(model, mlf_firmware_io, inputs, outputs);
    if (model->run(inputs, outputs) != 0) failed = 1;
  }
  return failed;
}
";
    }
}
