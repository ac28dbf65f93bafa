namespace Workbench.Cli;

public static partial class CommandLine
{
    private static Task<int> BenchVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        throw new NotImplementedException();
}
