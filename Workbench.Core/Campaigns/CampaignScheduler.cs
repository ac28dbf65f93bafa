using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workbench.Core.Data;

namespace Workbench.Core.Campaigns;

public sealed record SchedulerTick(IReadOnlyList<long> Ran, IReadOnlyList<long> Resumed);

// Every due campaign run, exactly once. Each tick: first the runs whose instance stopped mid-way (lease ran out) are
// taken over and finished; then each scheduled campaign whose next run is due is claimed for its latest due occurrence
// (occurrences missed while no scheduler ran fold into that one run, counted in Missed), its next run moves past now, a
// one-off campaign becomes finished, and the run executes. Claims are by the unique (campaign, occurrence) row, so two
// schedulers on one store run each occurrence once.
public sealed class CampaignScheduler(IDbContextFactory<WorkbenchDbContext> dbFactory, CampaignRunner runner, CampaignStore campaigns, TimeProvider clock,
    ILogger<CampaignScheduler>? logger = null)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public const string User = "scheduler";

    public async Task<SchedulerTick> TickAsync(CancellationToken ct)
    {
        var resumed = new List<long>();
        while (await runner.ClaimStaleAsync(ct) is { } stale)
        {
            _logger.LogInformation("Resuming campaign run {Run}", stale);
            await runner.ExecuteAsync(stale, null, ct);
            resumed.Add(stale);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        List<StoredCampaign> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = (await db.Set<StoredCampaign>().AsNoTracking().Where(c => c.Status == CampaignStatus.Scheduled && c.NextRunAt != null).ToListAsync(ct))
                .Where(c => c.NextRunAt <= now).OrderBy(c => c.NextRunAt).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        }
        var ran = new List<long>();
        foreach (var stored in due)
        {
            var campaign = CampaignJson.Read(stored.Json);
            var occurrences = CampaignSchedules.Occurrences(campaign.Schedule, stored.NextRunAt!.Value.AddTicks(-1), now);
            if (occurrences.Count == 0) continue;
            var occurrence = occurrences[^1];
            var runId = await runner.ClaimAsync(campaign, occurrence, manual: false, missed: occurrences.Count - 1, User, ct);
            await MoveOnAsync(stored, campaign, now, ct);
            if (runId is null) continue;
            await runner.ExecuteAsync(runId.Value, null, ct);
            ran.Add(runId.Value);
        }
        return new SchedulerTick(ran, resumed);
    }

    // The next run past now, set only if no one moved it meanwhile; a one-off campaign is finished (a versioned save).
    private async Task MoveOnAsync(StoredCampaign stored, Campaign campaign, DateTime now, CancellationToken ct)
    {
        if (campaign.Schedule.Kind == ScheduleKind.OneOff)
        {
            var result = await campaigns.UpdateAsync(campaign with { Status = CampaignStatus.Finished }, stored.Version, User, ct);
            if (result.Saved is null && !result.Conflict) _logger.LogWarning("Could not finish one-off campaign {Campaign}", campaign.Id);
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var next = CampaignStore.NextRun(campaign, now);
        await db.Set<StoredCampaign>().Where(c => c.Id == stored.Id && c.Version == stored.Version && c.NextRunAt == stored.NextRunAt)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.NextRunAt, next), ct);
    }

    // Ticks until stopped; a failed tick is logged and the next one comes.
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Campaign scheduler tick failed");
            }
            await Task.Delay(Interval, clock, stoppingToken);
        }
    }
}
