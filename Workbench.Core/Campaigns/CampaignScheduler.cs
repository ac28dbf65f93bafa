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
        ran.AddRange(await TriggeredAsync(now, ct));
        return new SchedulerTick(ran, resumed);
    }

    // Triggered campaigns run in fixed slots of TriggerSlot: each tick claims, per scheduled triggered campaign, the slot
    // that ended last, covering everything since the campaign's previous run (or since it was scheduled), when some
    // customer's event fell due or arrived in it. Every instance computes the same slot, so the claim is won once; slots
    // missed while down fold into one run. With a tick every 30 s, an event is decided within a minute of falling due
    // (or of arriving, when it arrives after its delay).
    public static readonly TimeSpan TriggerSlot = TimeSpan.FromSeconds(30);

    public static DateTime SlotEnd(DateTime now) => new(now.Ticks - now.Ticks % TriggerSlot.Ticks, DateTimeKind.Utc);

    private async Task<List<long>> TriggeredAsync(DateTime now, CancellationToken ct)
    {
        List<StoredCampaign> scheduled;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            scheduled = await db.Set<StoredCampaign>().AsNoTracking().Where(c => c.Status == CampaignStatus.Scheduled && c.NextRunAt == null).ToListAsync(ct);
        var slot = SlotEnd(now);
        var ran = new List<long>();
        foreach (var stored in scheduled.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            var campaign = CampaignJson.Read(stored.Json);
            if (campaign.Schedule.Kind != ScheduleKind.Triggered) continue;
            var last = (await runner.RunsAsync(campaign.Id, 1, ct)).FirstOrDefault();
            if (last is not null && last.Occurrence >= slot) continue;
            var start = last?.Occurrence ?? stored.UpdatedAt;
            if (start >= slot) continue;
            var through = await runner.ImportWatermarkAsync(ct);
            var window = new TriggerWindow(start, last?.Window?.ImportsThrough ?? through, through);
            // A slot in which nothing fell due or arrived makes no run: the next one covers it too.
            var plan = await runner.PlanAsync(campaign, slot, 0, ct);
            var candidates = await runner.TriggeredCandidatesAsync(plan, window, slot, ct);
            if (candidates.Count == 0) continue;
            var runId = await runner.ClaimAsync(campaign, slot, manual: false, missed: 0, User, ct, window);
            if (runId is null) continue;
            await runner.ExecuteAsync(runId.Value, null, ct, candidates);
            ran.Add(runId.Value);
        }
        return ran;
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
