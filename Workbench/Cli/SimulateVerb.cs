using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Campaigns;

namespace Workbench.Cli;

public static partial class CommandLine
{
    private const string SimulateUsage = "simulate takes outcomes: simulate outcomes --run <id> [--seed S] [--db <sqlite file>]";

    // simulate outcomes --run <id> [--seed S]: a finished run's sends through the seeded response simulator, imported as
    // an outcomes file; prints the planted effects (the truth the results should find) and the import's summary.
    private static async Task<int> SimulateVerbAsync(CliArgs args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        args.AllowOnly("db", "run", "seed");
        if (args.Positional is not [var what] || !what.Equals("outcomes", StringComparison.OrdinalIgnoreCase)) throw new CliUsageException(SimulateUsage);
        var runId = args.GetLong("run") ?? throw new CliUsageException("--run <id> names the run whose sends get outcomes; campaign run prints it");
        var seed = args.GetLong("seed") ?? 1;
        if (seed > int.MaxValue) throw new CliUsageException($"--seed is at most {int.MaxValue}");
        await using var services = await OpenStoreAsync(args.Get("db"), ct);
        var result = await services.GetRequiredService<OutcomeSimulation>().RunAsync(runId, (int)seed, $"cli:{Environment.UserName}", ct);
        if (result is null)
        {
            await stderr.WriteLineAsync($"there is no finished campaign run {runId}: campaign run <id> starts one, and the run page lists them");
            return 1;
        }
        await stdout.WriteLineAsync($"simulated outcomes for run {runId}, seed {seed}: {result.Sends:N0} sends");
        await stdout.WriteLineAsync("planted relative lift on the conversion rate, per variant (and per segment × variant on top):");
        foreach (var (variant, lift) in result.Effects.VariantLift)
        {
            var cells = result.Effects.CellLift.Where(c => c.Key.Variant == variant)
                .Select(c => $"{(c.Key.Segment is { } s ? $"segment {s}" : "no segment")} {Signed(c.Value)}");
            await stdout.WriteLineAsync($"  variant {variant}: {Signed(lift)}; {string.Join(", ", cells)}");
        }
        foreach (var problem in result.Import.Problems.Take(20)) await stderr.WriteLineAsync(problem.Format(result.Import.FileName));
        await stdout.WriteLineAsync(result.Import.Summary);
        return result.Import.Succeeded ? 0 : 1;
    }

    private static string Signed(double value) => value.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);
}
