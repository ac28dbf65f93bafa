using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Analytics.CustomerFeatures;

namespace Workbench.Cli;

public static partial class CommandLine
{
    // Times the feature rebuild on a loaded store (target: 30 s and 1 GB at 1,000,000 customers / ~20,000,000 lines).
    private static async Task<int> BenchFeaturesAsync(string dbFile, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        await using var services = await OpenStoreAsync(dbFile, ct);
        // The read-once floor: sqlite3 reading what the rebuild reads, aggregated by customer (lines) and by customer and type
        // (events), one after the other; measured before and after the rebuild, as the machine's load moves.
        var floorBefore = await FeatureFloorAsync(dbFile, stderr, ct);
        GC.Collect();
        PeakMemory.Reset();
        var pausedBefore = GC.GetTotalPauseDuration();
        int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var result = await services.GetRequiredService<FeatureService>().RebuildAsync(new Progress<string>(m => stderr.WriteLine(m)), ct);
        var peak = PeakMemory.ReadBytes();
        var floorAfter = await FeatureFloorAsync(dbFile, stderr, ct);
        await stdout.WriteLineAsync($"feature rebuild: {result.Customers:N0} customers ({result.Buyers:N0} buyers) in {result.Duration.TotalSeconds:0.0} s; " +
                                    $"peak memory {peak / 1024.0 / 1024.0:N0} MB");
        await stdout.WriteLineAsync($"garbage collections (gen 0/1/2): {GC.CollectionCount(0) - collectionsBefore[0]}/{GC.CollectionCount(1) - collectionsBefore[1]}/" +
                                    $"{GC.CollectionCount(2) - collectionsBefore[2]}, paused {(GC.GetTotalPauseDuration() - pausedBefore).TotalSeconds:0.00} s");
        if (result.Purchases is { } p)
            await stdout.WriteLineAsync($"BG/NBD r={p.Parameters.R:0.####} alpha={p.Parameters.Alpha:0.####} a={p.Parameters.A:0.####} b={p.Parameters.B:0.####} " +
                                        $"LL={p.LogLikelihood:0.#} ({p.Evaluations} evaluations)");
        var floor = floorBefore is { } b && floorAfter is { } a ? (b + a) / 2 : (double?)null;
        var ratio = floor is { } f ? result.Duration.TotalSeconds / f : double.NaN;
        await stdout.WriteLineAsync($"read-once floor (sqlite3: order_lines by customer, then events by customer and type): " +
                                    $"{floorBefore:0.0} s before, {floorAfter:0.0} s after; rebuild {result.Duration.TotalSeconds:0.0} s = {ratio:0.00}x the mean; " +
                                    $"load average {LoadAverage()}");
        await stdout.WriteLineAsync($"targets: rebuild <= 1.5x the floor: {(floor is null ? "n/a" : ratio <= 1.5 ? "met" : "NOT met")}; " +
                                    $"peak <= 1 GB: {(peak <= 1L << 30 ? "met" : "NOT met")}");
        return 0;
    }

    private const string FeatureFloorSql = """
        SELECT customer_id, COUNT(*), COUNT(DISTINCT order_id), TOTAL(quantity * unit_price - discount), MIN(ordered_at), MAX(ordered_at)
        FROM order_lines GROUP BY customer_id;
        SELECT customer_id, type, COUNT(*), MAX(occurred_at) FROM events GROUP BY customer_id, type;
        """;

    private static Task<double?> FeatureFloorAsync(string dbFile, TextWriter stderr, CancellationToken ct) =>
        RunSqlite3Async(dbFile, FeatureFloorSql + "\n", stderr, ct);
}
