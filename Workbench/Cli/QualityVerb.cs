using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Customers;
using Workbench.Core.Quality;

namespace Workbench.Cli;

public static partial class CommandLine
{
    // Prints the same JSON as GET /api/quality.
    private static async Task<int> QualityVerbAsync(CliArgs args, TextWriter stdout, CancellationToken ct)
    {
        args.AllowOnly("db");
        if (args.Positional.Count != 0) throw new CliUsageException("quality takes no arguments: quality [--db <sqlite file>]");
        await using var services = await OpenStoreAsync(args.Get("db"), ct);
        var report = await services.GetRequiredService<QualityService>().ComputeAsync(ct);
        await stdout.WriteLineAsync(JsonSerializer.Serialize(report, CustomerJson.Options));
        return 0;
    }
}
