using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workbench.Core.Audit;
using Workbench.Core.Data;
using Workbench.Core.Decisioning;
using Workbench.Core.Jobs;
using Workbench.Core.Playbook;

namespace Workbench.Core.Campaigns;

public sealed record CampaignRunView(long Id, string CampaignId, DateTime Occurrence, bool Manual, int CampaignVersion, DateTime AsOf, double HoldoutPercent,
    CampaignRunStatus Status, string ClaimedBy, DateTime LeaseUntil, long Processed, long Targeted, long Sent, int Missed, string RequestedBy,
    DateTime StartedAt, DateTime? FinishedAt, string? Error)
{
    public Campaign Campaign { get; init; } = null!;

    // Set for a triggered campaign's run.
    public TriggerWindow? Window { get; init; }
}

public sealed record CampaignRunProgress(long Processed, long Customers);

// What a triggered run covers: events due after Start (up to the run's occurrence) and the imports after ImportsAfter up
// to ImportsThrough.
public sealed record TriggerWindow(DateTime Start, long ImportsAfter, long ImportsThrough);

// Runs campaigns into the outbox, exactly once per occurrence. Claim: inserting the run's row, unique per campaign and
// occurrence, so of any number of schedulers (threads, processes, app instances on one store) one wins. Execute: the
// customers in id order, BatchSize at a time: the batch's snapshots in one pass per table, the decisions (pure), then
// in one transaction the batch's outbox rows, their contact history and the run's cursor, written only while this
// instance still holds the claim. Killed between batches, a run loses nothing written; killed inside one, the batch
// rolls back. A run whose lease ran out is claimed again and continues after its cursor; rows already written are
// never written twice (the outbox key is run + customer and inserts skip an existing key).
public sealed class CampaignRunner(
    StoreLocation store,
    IDbContextFactory<WorkbenchDbContext> dbFactory,
    PlaybookStore playbook,
    GlobalHoldout holdout,
    StoreWriteGate gate,
    JobScheduleOptions schedule,
    AuditService audit,
    TimeProvider clock,
    ILogger<CampaignRunner>? logger = null,
    PropensityOutcomes? propensities = null) : IDisposable
{
    // Customers per batch: one transaction of outbox rows each, the unit a killed run can lose and redo.
    public int BatchSize { get; set; } = 2_000;
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    // This instance's name on the runs it claims: machine, process and a random part (two runners in one process differ).
    public string Instance { get; set; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}"[..^24];

    public DecisioningOptions Options { get; set; } = DecisioningOptions.Default;

    // The run's row, or null when the occurrence is claimed already (by this or another instance).
    // asOf: the decision moment when it is not now (a triggered slot decides at its occurrence; the sample data's
    // finished experiment at its past one).
    public async Task<long?> ClaimAsync(Campaign campaign, DateTime occurrence, bool manual, int missed, string requestedBy, CancellationToken ct,
        TriggerWindow? window = null, DateTime? asOf = null)
    {
        var now = asOf ?? (window is null ? clock.GetUtcNow().UtcDateTime : occurrence);
        var percent = (await holdout.GetAsync(ct)).Percent;
        using var _ = await gate.EnterAsync(ct);
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var insert = connection.Command(
            "INSERT INTO campaign_runs (campaign_id, occurrence, manual, campaign_version, campaign_json, as_of, holdout_percent, status, claimed_by, "
            + "lease_until, cursor, processed, targeted, sent, missed, requested_by, started_at, window_start, imports_after, imports_through) VALUES ($c, $o, $m, $v, $j, "
            + "$now, $h, 'Running', $me, $lease, NULL, 0, 0, 0, $missed, $by, $started, $ws, $ia, $it) ON CONFLICT (campaign_id, occurrence) DO NOTHING",
            ("$c", campaign.Id), ("$o", occurrence), ("$m", manual), ("$v", campaign.Version), ("$j", CampaignJson.Serialize(campaign)), ("$now", now),
            ("$h", percent), ("$me", Instance), ("$lease", clock.GetUtcNow().UtcDateTime + Lease), ("$missed", missed), ("$by", requestedBy),
            ("$started", clock.GetUtcNow().UtcDateTime), ("$ws", window?.Start), ("$ia", window?.ImportsAfter), ("$it", window?.ImportsThrough));
        insert.Transaction = tx;
        if (await insert.ExecuteNonQueryAsync(ct) == 0) return null;
        await using var read = connection.Command("SELECT id FROM campaign_runs WHERE campaign_id = $c AND occurrence = $o", ("$c", campaign.Id), ("$o", occurrence));
        read.Transaction = tx;
        var id = Convert.ToInt64(await read.ExecuteScalarAsync(ct));
        await tx.CommitAsync(ct);
        // A triggered campaign's slots are in its run list, not each in the audit trail (one every 30 s).
        if (window is not null) return id;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.AuditEntries.Add(audit.Entry(requestedBy, AuditActions.Create, AuditEntities.CampaignRun, id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [new FieldChange("campaign", null, campaign.Id), new FieldChange("occurrence", null, StoreTime.Format(occurrence)),
             new FieldChange("kind", null, manual ? "manual" : missed > 0 ? $"scheduled ({missed} missed occurrence(s) folded in)" : "scheduled")]));
        await db.SaveChangesAsync(ct);
        return id;
    }

    // A run asked for now (the page's Run now, `campaign run`): the occurrence is this second, so a double click runs once.
    public Task<long?> ClaimManualAsync(Campaign campaign, string user, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return ClaimAsync(campaign, new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc), manual: true, missed: 0, user, ct);
    }

    // A running run whose lease ran out (its instance stopped), taken over by this instance; null when none.
    public async Task<long?> ClaimStaleAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        using var _ = await gate.EnterAsync(ct);
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var find = connection.Command("SELECT id FROM campaign_runs WHERE status = 'Running' AND lease_until < $now ORDER BY id LIMIT 1", ("$now", now));
        if (await find.ExecuteScalarAsync(ct) is not { } found || found is DBNull) return null;
        var id = Convert.ToInt64(found);
        await using var take = connection.Command(
            "UPDATE campaign_runs SET claimed_by = $me, lease_until = $lease WHERE id = $id AND status = 'Running' AND lease_until < $now",
            ("$me", Instance), ("$lease", now + Lease), ("$id", id), ("$now", now));
        return await take.ExecuteNonQueryAsync(ct) == 1 ? id : null;
    }

    // Runs a claimed run to its end from its cursor. Returns false when another instance took the run over meanwhile.
    // triggered: a triggered run's candidates when the caller has just found them (the scheduler, to know whether to
    // claim); otherwise found again from the run's window.
    public async Task<bool> ExecuteAsync(long runId, IProgress<CampaignRunProgress>? progress, CancellationToken ct, IReadOnlyList<string>? triggered = null)
    {
        var run = await GetAsync(runId, ct) ?? throw new InvalidOperationException($"there is no campaign run {runId}");
        if (run.Status != CampaignRunStatus.Running || run.ClaimedBy != Instance) return false;
        try
        {
            var plan = await PlanAsync(run.Campaign, run.AsOf, run.HoldoutPercent, ct);
            var groups = plan.Plays.Plays.ToDictionary(p => p.Id, p => p.ExclusionGroup, StringComparer.Ordinal);
            var segments = await SegmentIdsAsync(ct);
            var total = await CustomerCountAsync(ct);
            var cursor = await CursorAsync(runId, ct);
            var processed = run.Processed;
            if (run.Window is { } window)
            {
                var candidates = (triggered ?? await TriggeredCandidatesAsync(plan, window, run.Occurrence, ct))
                    .Where(id => cursor is null || string.CompareOrdinal(id, cursor) > 0).ToList();
                foreach (var chunk in candidates.Chunk(BatchSize))
                {
                    ct.ThrowIfCancellationRequested();
                    var snapshots = new List<SnapshotWithContacts>(chunk.Length);
                    await using (var connection = await StoreSql.OpenAsync(store, ct))
                    {
                        foreach (var id in chunk)
                        {
                            if (await SnapshotReader.ReadAsync(connection, id, plan.AsOf, null, ct) is not { } snapshot) continue;
                            snapshots.Add(new SnapshotWithContacts(snapshot, await ContactPoints.ReadAsync(connection, id, ct)));
                        }
                    }
                    var batchDecisions = Decide(plan, new SnapshotBatch(snapshots, null));
                    if (!await WriteBatchAsync(runId, batchDecisions, groups, chunk[^1], chunk.Length, ct)) return false;
                    processed += chunk.Length;
                    progress?.Report(new CampaignRunProgress(processed, candidates.Count));
                }
                return await FinishAsync(runId, CampaignRunStatus.Succeeded, null, ct);
            }
            // The next batch is read while this one is decided and written (the read on one core, the decisions on all):
            // it holds other customers, so nothing this batch writes (its sends' contact history) is in what it reads.
            using var reading = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var next = ReadAheadAsync(cursor);
            try
            {
                while (true)
                {
                    var batch = await next;
                    if (batch.Customers.Count == 0) break;
                    var last = batch.Customers[^1].Snapshot.CustomerId;
                    next = batch.Last is null ? Task.FromResult(new SnapshotBatch([], null)) : ReadAheadAsync(last);
                    var decisions = Decide(plan, batch);
                    if (!await WriteBatchAsync(runId, decisions, groups, last, batch.Customers.Count, ct)) return false;
                    processed += batch.Customers.Count;
                    progress?.Report(new CampaignRunProgress(processed, total));
                    if (batch.Last is null) break;
                }
            }
            finally
            {
                // A read ahead the run no longer needs: its cancellation or error is not the run's.
                await reading.CancelAsync();
                try
                {
                    await next;
                }
                catch (Exception)
                {
                }
            }
            return await FinishAsync(runId, CampaignRunStatus.Succeeded, null, ct);

            Task<SnapshotBatch> ReadAheadAsync(string? after) => Task.Run(() => NextBatchAsync(after, plan, segments, reading.Token), reading.Token);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Campaign run {Run} failed", runId);
            await FinishAsync(runId, CampaignRunStatus.Failed, e.Message, CancellationToken.None);
            return true;
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, CancellationTokenSource> _live = new();

    private readonly CancellationTokenSource _stopping = new();

    // Stopping the app stops the runs it started; they resume after the next start (their lease runs out).
    public void Dispose() => _stopping.Cancel();

    // Executes a claimed run in the background (a page's or the API's Run now); CancelAsync stops it.
    public void Start(long runId)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        _live[runId] = cts;
        _ = Task.Run(async () =>
        {
            try
            {
                await ExecuteAsync(runId, null, cts.Token);
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Campaign run {Run} stopped", runId);
            }
            finally
            {
                _live.TryRemove(runId, out _);
                cts.Dispose();
            }
        }, CancellationToken.None);
    }

    // Stops a run for good: it keeps what it wrote and is never resumed. False when it was not running.
    public async Task<bool> CancelAsync(long runId, string user, CancellationToken ct)
    {
        var done = await FinishAsync(runId, CampaignRunStatus.Cancelled, $"cancelled by {user}", ct, anyInstance: true);
        if (_live.TryGetValue(runId, out var cts)) await cts.CancelAsync();
        if (done)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            db.AuditEntries.Add(audit.Entry(user, AuditActions.Update, AuditEntities.CampaignRun, runId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [new FieldChange("status", "running", "cancelled")]));
            await db.SaveChangesAsync(ct);
        }
        return done;
    }

    // The decisions a run would make now, counted and not written: the dry run, and the forecast of contact pressure.
    public async Task<CampaignRunCounts> DryRunAsync(Campaign campaign, DateTime asOf, IProgress<CampaignRunProgress>? progress, CancellationToken ct)
    {
        var plan = await PlanAsync(campaign, asOf, (await holdout.GetAsync(ct)).Percent, ct);
        var segments = await SegmentIdsAsync(ct);
        var total = await CustomerCountAsync(ct);
        var tally = new CampaignRunTally();
        string? cursor = null;
        while (true)
        {
            var batch = await NextBatchAsync(cursor, plan, segments, ct);
            if (batch.Customers.Count == 0) break;
            tally.Seen(batch.Customers.Count);
            foreach (var d in Decide(plan, batch)) tally.Add(d);
            cursor = batch.Customers[^1].Snapshot.CustomerId;
            progress?.Report(new CampaignRunProgress(tally.Customers, total));
            if (batch.Last is null) break;
        }
        return tally.Counts();
    }

    // The customers a triggered run decides for, in id order: those with an event of one of the plan's event-triggered
    // plays (its type, and category when the trigger names one) that fell due in the window (occurred at least the play's
    // delay before the run, and not before the window), or that arrived with an import of the window and is due and still
    // open (within the delay plus the hours it stays open). The engine then decides each of them as for any run.
    public async Task<IReadOnlyList<string>> TriggeredCandidatesAsync(CampaignRunPlan plan, TriggerWindow window, DateTime at, CancellationToken ct)
    {
        var triggers = plan.Plays.Plays.Select(p => p.Trigger).OfType<EventTrigger>().Distinct().ToList();
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        await using var connection = await StoreSql.OpenAsync(store, ct);
        foreach (var t in triggers)
        {
            var delay = TimeSpan.FromMinutes(t.DelayMinutes);
            await using var cmd = connection.Command(
                "SELECT DISTINCT customer_id FROM events WHERE type = $type AND ($category IS NULL OR category = $category) AND occurred_at <= $dueTo AND "
                + "(occurred_at > $dueFrom OR (created_import_id > $after AND created_import_id <= $through AND occurred_at > $openFrom))",
                ("$type", t.EventType), ("$category", t.Category), ("$dueTo", at - delay), ("$dueFrom", window.Start - delay),
                ("$after", window.ImportsAfter), ("$through", window.ImportsThrough), ("$openFrom", at - delay - TimeSpan.FromHours(t.ExpiresAfterHours)));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) ids.Add(r.GetString(0));
        }
        return ids.ToList();
    }

    // The imports whose rows a triggered run may take as arrived: every committed import up to the first still running.
    public async Task<long> ImportWatermarkAsync(CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var cmd = connection.Command(
            "SELECT COALESCE((SELECT MIN(id) - 1 FROM import_runs WHERE outcome = 'Running'), (SELECT MAX(id) FROM import_runs), 0)");
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
    }

    public async Task<CampaignRunPlan> PlanAsync(Campaign campaign, DateTime asOf, double holdoutPercent, CancellationToken ct)
    {
        var active = await playbook.PlaysAsync(PlayStatus.Active, ct);
        var objectives = (await playbook.UseCasesAsync(ct)).ToDictionary(u => u.Id, u => u.Objective, StringComparer.Ordinal);
        var plays = CampaignRunPlan.PlaysOf(campaign, active);
        var set = new PlaySet(plays, plays.Where(p => objectives.ContainsKey(p.UseCaseId)).ToDictionary(p => p.Id, p => objectives[p.UseCaseId], StringComparer.Ordinal),
            propensities is null ? PropensityModel.Empty : await propensities.ModelAsync(ct));
        var settings = new EngineSettings(Options.Caps, Options.Quiet, campaign.Handling, schedule.Zone, [], BusinessLevers.None);
        return new CampaignRunPlan(campaign, set, settings, holdoutPercent / 100.0, DateTime.SpecifyKind(asOf, DateTimeKind.Utc),
            plays.ToDictionary(p => p.Id, p => p.Version, StringComparer.Ordinal));
    }

    // The next BatchSize customers after the cursor, with their snapshots at the plan's moment.
    private async Task<SnapshotBatch> NextBatchAsync(string? cursor, CampaignRunPlan plan, IReadOnlyList<long> segments, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        await using var connection = await StoreSql.OpenAsync(store, ct);
        return await SnapshotReader.ReadBatchAsync(connection, cursor, BatchSize, plan.AsOf, null, segments, ct);
    }

    private List<CampaignDecision> Decide(CampaignRunPlan plan, SnapshotBatch batch)
    {
        var zone = schedule.Zone;
        return batch.Customers.AsParallel().AsOrdered().Select(c => CampaignDecider.Decide(plan, c, zone)).Where(d => d is not null).Select(d => d!).ToList();
    }

    private async Task<bool> WriteBatchAsync(long runId, IReadOnlyList<CampaignDecision> decisions, IReadOnlyDictionary<string, string?> groups, string last, int customers, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        using var _ = await gate.EnterAsync(ct);
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var send = connection.Command(InsertSendSql))
        await using (var contact = connection.Command(InsertContactSql))
        {
            send.Transaction = tx;
            contact.Transaction = tx;
            var p = Parameters(send, "$run", "$c", "$arm", "$variant", "$segment", "$play", "$channel", "$ref", "$at", "$decided", "$sent", "$reason", "$detail",
                "$score", "$lost", "$lostChannel", "$lostScore");
            var q = Parameters(contact, "$c", "$at", "$play", "$channel", "$group");
            foreach (var d in decisions)
            {
                Set(p, runId, d.CustomerId, d.Arm, d.Variant, d.SegmentId, d.PlayId, d.Channel, d.ContentRef, d.SendAt is { } at ? StoreTime.Format(at) : null,
                    StoreTime.Format(now), d.Sent, d.Reason, d.Detail, d.Score, d.LostPlayId, d.LostChannel, d.LostScore);
                if (await send.ExecuteNonQueryAsync(ct) == 1 && d.Sent)
                {
                    Set(q, d.CustomerId, StoreTime.Format(d.SendAt!.Value), d.PlayId, d.Channel, groups.GetValueOrDefault(d.PlayId!));
                    await contact.ExecuteNonQueryAsync(ct);
                }
            }
        }
        await using var advance = connection.Command(
            "UPDATE campaign_runs SET cursor = $last, processed = processed + $n, lease_until = $lease WHERE id = $id AND claimed_by = $me AND status = 'Running'",
            ("$last", last), ("$n", customers), ("$lease", now + Lease), ("$id", runId), ("$me", Instance));
        advance.Transaction = tx;
        if (await advance.ExecuteNonQueryAsync(ct) != 1)
        {
            await tx.RollbackAsync(ct);
            return false;
        }
        await tx.CommitAsync(ct);
        return true;
    }

    private const string InsertSendSql =
        "INSERT INTO campaign_sends (run_id, customer_id, arm, variant, segment_id, play_id, channel, content_ref, send_at, decided_at, sent, reason, detail, "
        + "score, lost_play_id, lost_channel, lost_score) VALUES ($run, $c, $arm, $variant, $segment, $play, $channel, $ref, $at, $decided, $sent, $reason, "
        + "$detail, $score, $lost, $lostChannel, $lostScore) ON CONFLICT (run_id, customer_id) DO NOTHING";

    // With the play's exclusion group, so the caps, cooldowns and mutual exclusion of later decisions see the send.
    private const string InsertContactSql =
        "INSERT INTO contact_history (customer_id, at, play_id, channel, exclusion_group) VALUES ($c, $at, $play, $channel, $group) ON CONFLICT DO NOTHING";

    private async Task<bool> FinishAsync(long runId, CampaignRunStatus status, string? error, CancellationToken ct, bool anyInstance = false)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        using var _ = await gate.EnterAsync(ct);
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var finish = connection.Command(
            "UPDATE campaign_runs SET status = $status, finished_at = $now, error = $error, "
            + "targeted = (SELECT COUNT(*) FROM campaign_sends WHERE run_id = $id), sent = (SELECT COUNT(*) FROM campaign_sends WHERE run_id = $id AND sent = 1) "
            + "WHERE id = $id AND status = 'Running'" + (anyInstance ? "" : " AND claimed_by = $me"),
            ("$status", status.ToString()), ("$now", now), ("$error", error), ("$id", runId), ("$me", Instance));
        return await finish.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<CampaignRunView?> GetAsync(long runId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var r = await db.Set<StoredCampaignRun>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == runId, ct);
        return r is null ? null : View(r);
    }

    public async Task<IReadOnlyList<CampaignRunView>> RunsAsync(string? campaignId, int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Set<StoredCampaignRun>().AsNoTracking();
        if (campaignId is not null) q = q.Where(r => r.CampaignId == campaignId);
        return (await q.OrderByDescending(r => r.Id).Take(Math.Clamp(take, 1, 500)).ToListAsync(ct)).Select(View).ToList();
    }

    // The run's figures from its outbox rows, grouped in the store.
    public async Task<CampaignRunCounts> CountsAsync(long runId, CancellationToken ct)
    {
        var tally = new CampaignRunTally();
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var cmd = connection.Command(
            "SELECT arm, variant, segment_id, play_id, channel, sent, reason, lost_channel, SUM(COALESCE(lost_score, 0)), COUNT(*) FROM campaign_sends WHERE run_id = $id "
            + "GROUP BY arm, variant, segment_id, play_id, channel, sent, reason, lost_channel", ("$id", runId));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            tally.Add(r.GetString(0), r.Text(1), r.IsDBNull(2) ? null : r.GetInt64(2), r.Text(3), r.Text(4), r.GetInt64(5) == 1, r.GetString(6), r.Text(7),
                r.GetDouble(8), r.GetInt64(9));
        await r.DisposeAsync();
        await using var seen = connection.Command("SELECT processed FROM campaign_runs WHERE id = $id", ("$id", runId));
        tally.Seen(Convert.ToInt32(await seen.ExecuteScalarAsync(ct) ?? 0));
        return tally.Counts();
    }

    // A page of the run's sends (sent rows only), in customer id order after the cursor `after`.
    public async Task<IReadOnlyList<CampaignSend>> SendsAsync(long runId, string? after, int take, bool sentOnly, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Set<CampaignSend>().AsNoTracking().Where(s => s.RunId == runId);
        if (sentOnly) q = q.Where(s => s.Sent);
        if (after is not null) q = q.Where(s => string.Compare(s.CustomerId, after) > 0);
        return await q.OrderBy(s => s.CustomerId).Take(Math.Clamp(take, 1, MaxSendsPage)).ToListAsync(ct);
    }

    public const int MaxSendsPage = 5_000;

    // Every sent row of the run, streamed in customer id order (the CSV for the sending platform).
    public async IAsyncEnumerable<CampaignSend> StreamSendsAsync(long runId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? after = null;
        while (true)
        {
            var page = await SendsAsync(runId, after, MaxSendsPage, sentOnly: true, ct);
            foreach (var s in page) yield return s;
            if (page.Count < MaxSendsPage) yield break;
            after = page[^1].CustomerId;
        }
    }

    public static string SendId(long runId, string customerId) => $"{runId}-{customerId}";

    private async Task<string?> CursorAsync(long runId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<StoredCampaignRun>().AsNoTracking().Where(r => r.Id == runId).Select(r => r.Cursor).FirstOrDefaultAsync(ct);
    }

    private async Task<IReadOnlyList<long>> SegmentIdsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<Segments.Segment>().AsNoTracking().Select(s => s.Id).OrderBy(x => x).ToListAsync(ct);
    }

    public Task<long> CustomersAsync(CancellationToken ct) => CustomerCountAsync(ct);

    private async Task<long> CustomerCountAsync(CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var cmd = connection.Command("SELECT COUNT(*) FROM customers");
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
    }

    private static CampaignRunView View(StoredCampaignRun r) => new(r.Id, r.CampaignId, r.Occurrence, r.Manual, r.CampaignVersion, r.AsOf, r.HoldoutPercent, r.Status,
        r.ClaimedBy, r.LeaseUntil, r.Processed, r.Targeted, r.Sent, r.Missed, r.RequestedBy, r.StartedAt, r.FinishedAt, r.Error)
    {
        Campaign = CampaignJson.Read(r.CampaignJson),
        Window = r.WindowStart is { } start ? new TriggerWindow(start, r.ImportsAfter ?? 0, r.ImportsThrough ?? 0) : null,
    };

    private static DbParameter[] Parameters(DbCommand command, params string[] names) =>
        names.Select(n => command.Parameters.AddWithValue(n, null)).ToArray();

    private static void Set(DbParameter[] parameters, params object?[] values)
    {
        for (var i = 0; i < parameters.Length; i++) parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
