using Microsoft.Extensions.Logging;
using Workbench.Core.Data;
using Workbench.Core.Data.Store;

namespace Workbench.Core.Segments.Facts;

// The segment facts of the store while nothing has been committed since they were read. Any commit, by any connection
// or process, makes them stale: the next caller gets null (and asks SQL), and a build starts in the background once
// the store has been quiet for Settle. So a count is never older than the store, and fast again a few seconds after a
// change (SegmentFactsLoader reads 1,000,000 customers in seconds; the facts then take about 300 MB).
public sealed class SegmentFactsCache(StoreLocation store, ILogger<SegmentFactsCache> logger) : IDisposable
{
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private IStoreChangeWatch? _watch;
    private SegmentFacts? _facts;
    private long _version;
    private long? _failedVersion;
    private Task? _building;

    public SegmentFacts? Current()
    {
        lock (_lock)
        {
            if (_stop.IsCancellationRequested) return null;
            var version = (_watch ??= store.Bulk.WatchChanges()).Version();
            if (_facts is not null && _version == version) return _facts;
            _facts = null;
            if (_building is null && _failedVersion != version) _building = Task.Run(() => BuildAsync(_stop.Token));
            return null;
        }
    }

    // Current facts, building them when needed (the bench, tests, a warm-up).
    public async Task<SegmentFacts> WarmAsync(CancellationToken ct)
    {
        while (true)
        {
            if (Current() is { } facts) return facts;
            Task? building;
            lock (_lock)
            {
                if (_failedVersion is not null) throw new InvalidOperationException("the segment facts could not be read; see the log");
                building = _building;
            }
            if (building is not null) await building.WaitAsync(ct);
        }
    }

    private async Task BuildAsync(CancellationToken ct)
    {
        long version = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                version = Version();
                // Writes come in bursts (an import, then its jobs): read once the store has been quiet for a moment.
                await Task.Delay(Settle, ct);
                if (Version() != version) continue;
                var facts = SegmentFactsLoader.Load(store.Bulk, ct);
                lock (_lock)
                {
                    if (_watch!.Version() != version) continue;
                    _facts = facts;
                    _version = version;
                    _failedVersion = null;
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Reading the segment facts failed; counts are answered by SQL until the store changes");
            lock (_lock) _failedVersion = version;
        }
        finally
        {
            lock (_lock) _building = null;
        }
    }

    private long Version()
    {
        lock (_lock) return _watch!.Version();
    }

    public void Dispose()
    {
        Task? building;
        lock (_lock)
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
            building = _building;
        }
        try
        {
            building?.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }
        lock (_lock)
        {
            _watch?.Dispose();
            _watch = null;
        }
        _stop.Dispose();
    }
}
