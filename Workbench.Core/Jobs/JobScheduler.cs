using Cronos;
using Microsoft.Extensions.Logging;
using Workbench.Core.Data;

namespace Workbench.Core.Jobs;

// When the daily run happens: a cron expression read in the store's time zone (default every day at 03:00, UTC).
public sealed record JobScheduleOptions(string Cron = "0 3 * * *", string TimeZone = "UTC")
{
    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public CronExpression Expression => CronExpression.Parse(Cron);

    public DateTime? NextAfter(DateTime utc) => Expression.GetNextOccurrence(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    // The latest occurrence at or before utc (up to two days back), for catching up a run missed while the app was down.
    public DateTime? LatestBefore(DateTime utc)
    {
        var at = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        return Expression.GetOccurrences(at.AddDays(-2), at, Zone, fromInclusive: true, toInclusive: true).LastOrDefault() is var last && last != default
            ? last
            : null;
    }
}

// The daily run: every job for everyone with the population figures refitted, so date-dependent values (recency,
// tenure, P(alive), the 90-day counts, time-window segment conditions) move on for every customer. A run missed while
// the app was down (figures older than the latest occurrence) is caught up at start.
public sealed class JobScheduler(JobPipeline pipeline, JobScheduleOptions options, StoreLocation store, TimeProvider clock, ILogger<JobScheduler> logger)
{
    public const string RequestedBy = "daily schedule";

    public async Task RunAsync(CancellationToken ct)
    {
        await pipeline.RecoverInterruptedAsync(ct);
        if (await IsRunMissedAsync(ct)) await RunOnceAsync(ct);
        while (!ct.IsCancellationRequested)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (options.NextAfter(now) is not { } next) return;
            await Task.Delay(next - now, clock, ct);
            await RunOnceAsync(ct);
        }
    }

    private async Task RunOnceAsync(CancellationToken ct)
    {
        try
        {
            var enqueued = await pipeline.EnqueueAsync(JobRequest.Rebuild(JobTrigger.Daily, RequestedBy), ct);
            var result = await enqueued.Done.WaitAsync(ct);
            logger.LogInformation("Daily job run {Id}: {Outcome}", result.RequestId, result.Succeeded ? "every job succeeded" : "some jobs did not finish (see the Jobs page)");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "The daily job run failed");
        }
    }

    // True when the population figures were computed before the latest scheduled occurrence (the app was down then);
    // false for a store whose figures were never computed (its first import computes them).
    public async Task<bool> IsRunMissedAsync(CancellationToken ct)
    {
        if (options.LatestBefore(clock.GetUtcNow().UtcDateTime) is not { } latest) return false;
        await using var connection = await StoreConnections.OpenAsync(store, ct);
        var computed = await connection.ScalarAsync<string?>("SELECT computed_at FROM population_figures WHERE id = 1", ct);
        return computed is not null && string.CompareOrdinal(computed, StoreTime.Format(latest)) < 0;
    }
}
