using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Analytics.CustomerFeatures;

namespace Workbench.Cli;

public static partial class CommandLine
{
    // Times the feature rebuild on a loaded store (target: 30 s and 1 GB at 1,000,000 customers / ~20,000,000 lines).
    private static async Task<int> BenchFeaturesAsync(string dbFile, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        await using var services = await OpenStoreAsync(dbFile, ct);
        GC.Collect();
        PeakMemory.Reset();
        var pausedBefore = GC.GetTotalPauseDuration();
        int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var result = await services.GetRequiredService<FeatureService>().RebuildAsync(new Progress<string>(m => stderr.WriteLine(m)), ct);
        var peak = PeakMemory.ReadBytes();
        await stdout.WriteLineAsync($"feature rebuild: {result.Customers:N0} customers ({result.Buyers:N0} buyers) in {result.Duration.TotalSeconds:0.0} s; " +
                                    $"peak memory {peak / 1024.0 / 1024.0:N0} MB");
        await stdout.WriteLineAsync($"garbage collections (gen 0/1/2): {GC.CollectionCount(0) - collectionsBefore[0]}/{GC.CollectionCount(1) - collectionsBefore[1]}/" +
                                    $"{GC.CollectionCount(2) - collectionsBefore[2]}, paused {(GC.GetTotalPauseDuration() - pausedBefore).TotalSeconds:0.00} s");
        if (result.Purchases is { } p)
            await stdout.WriteLineAsync($"BG/NBD r={p.Parameters.R:0.####} alpha={p.Parameters.Alpha:0.####} a={p.Parameters.A:0.####} b={p.Parameters.B:0.####} " +
                                        $"LL={p.LogLikelihood:0.#} ({p.Evaluations} evaluations)");
        await stdout.WriteLineAsync($"targets: rebuild <= 30 s: {(result.Duration.TotalSeconds <= 30 ? "met" : "NOT met")}; " +
                                    $"peak <= 1 GB: {(peak <= 1L << 30 ? "met" : "NOT met")}");
        return 0;
    }
}
