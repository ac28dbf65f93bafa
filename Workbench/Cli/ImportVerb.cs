using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Import;

namespace Workbench.Cli;

public static partial class CommandLine
{
    private static async Task<int> ImportVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        args.AllowOnly("db", "skip-invalid", "encoding");
        if (args.Positional.Count != 2)
            throw new CliUsageException("import needs a kind and a file: import <customers|products|transactions|events|consents|outcomes> <file.csv>");
        if (!ImportSchemas.TryParseKind(args.Positional[0], out var kind))
            throw new CliUsageException($"unknown kind '{args.Positional[0]}': use customers, products, transactions, events, consents or outcomes");
        var path = args.Positional[1];
        if (!File.Exists(path))
        {
            await stderr.WriteLineAsync($"{path}: file not found");
            return 1;
        }

        await using var services = await OpenStoreAsync(args.Get("db"), ct);
        var imports = services.GetRequiredService<ImportService>();
        var mode = args.Has("skip-invalid") ? ImportMode.SkipInvalid : ImportMode.AllOrNothing;
        var encoding = args.Get("encoding")?.ToLowerInvariant() switch
        {
            null or "utf-8" or "utf8" => ImportEncoding.Utf8,
            "latin-1" or "latin1" or "iso-8859-1" => ImportEncoding.Latin1,
            "windows-1252" or "cp1252" => ImportEncoding.Windows1252,
            var other => throw new CliUsageException($"unknown encoding '{other}': use utf-8, latin-1 or windows-1252"),
        };
        await using var stream = File.OpenRead(path);
        var fileName = Path.GetFileName(path);
        var result = await imports.ImportAsync(
            stream, new ImportRequest(kind, fileName, mode, $"cli:{Environment.UserName}", stream.Length, encoding), null, ct);

        foreach (var problem in result.Problems)
        {
            await stderr.WriteLineAsync(problem.Format(path) + (problem.Severity == ProblemSeverity.Warning ? " (warning)" : ""));
        }
        if (result.ErrorCount + result.WarningCount > result.Problems.Count)
        {
            await stderr.WriteLineAsync($"{path}: {result.ErrorCount + result.WarningCount - result.Problems.Count:N0} more problems not listed");
        }

        if (result.RejectedRowsFile is not null && result.Succeeded)
        {
            var rejectedPath = Path.ChangeExtension(path, ".rejected.csv");
            await using (var rejected = await imports.OpenRejectedRowsAsync(result.ImportRunId, ct))
            await using (var target = File.Create(rejectedPath))
            {
                if (rejected is not null) await rejected.CopyToAsync(target, ct);
            }
            await stdout.WriteLineAsync($"{result.Summary}; rejected rows written to {rejectedPath}");
        }
        else
        {
            await stdout.WriteLineAsync(FieldParsers.Printable(result.Summary, int.MaxValue));
        }
        return result.Succeeded ? 0 : 1;
    }
}
