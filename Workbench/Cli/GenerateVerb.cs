namespace Workbench.Cli;

public static partial class CommandLine
{
    private static Task<int> GenerateVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        throw new NotImplementedException();
}
