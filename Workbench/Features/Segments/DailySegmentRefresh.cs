using Workbench.Core.Segments;
using Workbench.Core.Analytics.CustomerFeatures;

namespace Workbench.Features.Segments;

// Re-evaluates every saved segment once a day: when the latest refresh is 24 hours old (or there was none), then daily;
// first the features are rebuilt if they were computed on an earlier day (recency and the CLV values move with the date).
public sealed class DailySegmentRefresh(SegmentService segments, FeatureService features, TimeProvider time, ILogger<DailySegmentRefresh> log)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTime? ranAt = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var last = await segments.LastRefreshAtAsync(stoppingToken) is { } recorded && recorded > (ranAt ?? DateTime.MinValue) ? recorded : ranAt;
                var wait = last is null ? TimeSpan.FromMinutes(1) : last.Value + Interval - time.GetUtcNow().UtcDateTime;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, time, stoppingToken);
                if (await features.RebuildIfStaleAsync(stoppingToken) is { } rebuilt)
                    log.LogInformation("Daily refresh: features rebuilt for {Customers} customers in {Seconds:0.0} s", rebuilt.Customers, rebuilt.Duration.TotalSeconds);
                var result = await segments.RefreshAllAsync(stoppingToken);
                ranAt = time.GetUtcNow().UtcDateTime;
                log.LogInformation("Daily segment refresh: {Segments} segment(s) in {Ms} ms", result.Segments, result.Duration.TotalMilliseconds);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "Daily segment refresh failed; trying again in an hour");
                await Task.Delay(TimeSpan.FromHours(1), time, stoppingToken);
            }
        }
    }
}
