namespace Workbench.Core.Statistics;

// A sum over n items in fixed chunks, one per core, added in chunk order: the result does not depend on scheduling.
internal static class ChunkedSum
{
    private const int ParallelFrom = 20_000;

    public static double Of(int n, Func<int, int, double> sum)
    {
        if (n < ParallelFrom) return sum(0, n);
        var chunks = Math.Max(1, Environment.ProcessorCount);
        var partial = new double[chunks];
        var size = (n + chunks - 1) / chunks;
        Parallel.For(0, chunks, c => partial[c] = sum(Math.Min(n, c * size), Math.Min(n, (c + 1) * size)));
        var total = 0.0;
        foreach (var value in partial) total += value;
        return total;
    }
}
