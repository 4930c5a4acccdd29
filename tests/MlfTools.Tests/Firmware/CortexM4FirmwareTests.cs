using System.IO;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Firmware
{
    /// <summary>
    /// The Cortex-M4 firmware helper itself: printf reaches standard output through semihosting, stderr standard
    /// error, and QEMU exits with main's return code, exit()'s status, or 0xF0 + the fault number after a fault.
    /// </summary>
    public class CortexM4FirmwareTests
    {
        private const string Source = @"
#include <stdio.h>
#include <stdlib.h>
#include ""answer.h""
int main(void) {
  printf(""hello %d\n"", ANSWER);
  fprintf(stderr, ""to stderr\n"");
#if defined(CALL_EXIT)
  exit(5);
#elif defined(FAULT)
  ((void (*)(void))0xFFFFFFF0u)();
#endif
  return 7;
}
";

        [ToolFact(CortexM4Firmware.Compiler, CortexM4Firmware.Archiver, CortexM4Firmware.Qemu)]
        public void A_firmware_prints_through_semihosting_and_exits_with_its_status()
        {
            using var temp = new TempFolder();
            string include = temp.File("include");
            Directory.CreateDirectory(include);
            File.WriteAllText(Path.Combine(include, "answer.h"), "#define ANSWER VALUE\n");
            string source = temp.File("main.c");
            File.WriteAllText(source, Source);

            var returned = CortexM4Firmware.BuildAndRun(temp, new[] { source }, new[] { include }, new[] { "VALUE=42" }, name: "returns");
            Assert.Equal(7, returned.ExitCode);
            Assert.Equal("hello 42\n", returned.StandardOutput);
            Assert.Equal("to stderr\n", returned.StandardError);

            var exited = CortexM4Firmware.BuildAndRun(temp, new[] { source }, new[] { include }, new[] { "VALUE=1", "CALL_EXIT" }, name: "exits");
            Assert.Equal(5, exited.ExitCode);
            Assert.Equal("hello 1\n", exited.StandardOutput);

            var faulted = CortexM4Firmware.BuildAndRun(temp, new[] { source }, new[] { include }, new[] { "VALUE=2", "FAULT" }, name: "faults");
            Assert.Equal(0xF3, faulted.ExitCode);
            Assert.Contains("fault: HardFault", faulted.StandardOutput + faulted.StandardError);
        }
    }
}
