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

static size_t mlf_firmware_round_up(size_t bytes) { return (bytes + 15u) & ~(size_t)15u; }

int main(void) {
  if (mlf_init() != 0) return 1;
  int failed = 0;
  for (size_t m = 0; m < mlf_model_count; m++) {
    const mlf_model_info* model = &mlf_models[m];
    void* inputs[MLF_MAX_INPUTS > 0 ? MLF_MAX_INPUTS : 1];
    void* outputs[MLF_MAX_OUTPUTS > 0 ? MLF_MAX_OUTPUTS : 1];
    size_t at = 0;
    for (size_t k = 0; k < model->input_count; k++) {
      inputs[k] = mlf_firmware_io + at;
      at += mlf_firmware_round_up(model->inputs[k].bytes);
    }
    for (size_t o = 0; o < model->output_count; o++) {
      outputs[o] = mlf_firmware_io + at;
      at += mlf_firmware_round_up(model->outputs[o].bytes);
    }
    if (model->run(inputs, outputs) != 0) failed = 1;
  }
  return failed;
}
";
    }
}
