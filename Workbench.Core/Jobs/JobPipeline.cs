using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Workbench.Core.Data;
using Workbench.Core.Import;

namespace Workbench.Core.Jobs;

// What to run: after an import (the touched customers, resolved when the run starts), daily or on demand (everyone).
// Jobs: the named jobs and what depends on them; null for all.
public sealed record JobRequest(JobTrigger Trigger, string RequestedBy, bool Everyone, bool Refit,
    long? ImportRunId = null, string? ImportedTable = null, IReadOnlyList<string>? Jobs = null)
{
    public static JobRequest Rebuild(JobTrigger trigger, string requestedBy, IReadOnlyList<string>? jobs = null) =>
        new(trigger, requestedBy, Everyone: true, Refit: true, Jobs: jobs);
}

public sealed record JobRunView(long Id, long RequestId, string Job, string Title, JobTrigger Trigger, JobStatus Status,
    string RequestedBy, DateTime QueuedAt, DateTime? StartedAt, DateTime? FinishedAt, long? Rows, string? Progress, string? Error)
{
    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : null;
}

public sealed record JobsOverview(IReadOnlyList<JobRunView> Running, IReadOnlyList<JobRunView> Queued, IReadOnlyList<JobRunView> Recent);

public sealed record JobRequestResult(long RequestId, IReadOnlyList<JobRunView> Runs)
{
    public bool Succeeded => Runs.All(r => r.Status == JobStatus.Succeeded);

    // The first run that did not succeed, as a sentence for the page or verb that asked.
    public string? Problem => Runs.FirstOrDefault(r => r.Status != JobStatus.Succeeded) is { } run
        ? $"{run.Title}: {run.Status.ToString().ToLowerInvariant()}" + (run.Error is { } e ? $" ({e})" : "") + " — see the Jobs page"
        : null;
}

// Runs the jobs in dependency order, one request at a time and holding the store's write gate for the whole request;
// records every run in job_runs; cancels a run on request. The one IImportFollowUp: what follows an import is this.
public sealed class JobPipeline : IImportFollowUp, IDisposable
{
    // Above this many touched customers one streaming pass over everyone beats looking each of them up.
    public const int IncrementalLimit = 100_000;

    private readonly IDbContextFactory<WorkbenchDbContext> _dbFactory;
    private readonly StoreLocation _store;
    private readonly StoreWriteGate _gate;
    private readonly TimeProvider _clock;
    private readonly ILogger<JobPipeline> _logger;
    private readonly Dictionary<string, IJob> _jobs;
    private readonly List<JobNode> _nodes;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Live> _live = new();
    private readonly Lazy<Task> _recovery;
    private readonly Lazy<Task> _worker;

    public JobPipeline(IDbContextFactory<WorkbenchDbContext> dbFactory, StoreLocation store, StoreWriteGate gate, IEnumerable<IJob> jobs,
        TimeProvider clock, ILogger<JobPipeline> logger)
    {
        _dbFactory = dbFactory;
        _store = store;
        _gate = gate;
        _clock = clock;
        _logger = logger;
        _jobs = jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
        _nodes = _jobs.Values.Select(j => new JobNode(j.Name, j.DependsOn, j.Priority)).ToList();
        Order = JobPlan.Order(_nodes).Select(n => _jobs[n]).ToList();
        _recovery = new Lazy<Task>(() => RecoverInterruptedAsync(CancellationToken.None));
        _worker = new Lazy<Task>(() => Task.Run(WorkAsync));
    }

    // Every job, in the order a full run takes them.
    public IReadOnlyList<IJob> Order { get; }

    public string Activity => "the derived data (" + string.Join(", ", Order.Select(j => j.Title.ToLowerInvariant())) + ")";

    public void Dispose() => _stopping.Cancel();

    // After every import that committed: its touched customers are brought up to date. Waits for the run (the import
    // page and the command line report when the figures are current) with the import service's stopping token.
    public async Task AfterImportAsync(ImportResult result, CancellationToken ct)
    {
        if (result.Kind == ImportKind.Outcomes) return; // outcomes feed no derived customer figure
        var request = new JobRequest(JobTrigger.Import, $"import {result.ImportRunId}", Everyone: false, Refit: false,
            result.ImportRunId, StoreWriter.TableName(result.Kind));
        var completion = await EnqueueAsync(request, ct);
        await completion.Done.WaitAsync(ct);
    }

    // Several files imported in one go (the sample load on first start): one run for everyone when the last is in, the
    // population figures fitted, so no figure (and no quality trend point) describes a store with only some files in.
    public async Task AfterImportsAsync(IReadOnlyList<ImportResult> results, CancellationToken ct)
    {
        var request = new JobRequest(JobTrigger.Import, $"imports {results[0].ImportRunId}–{results[^1].ImportRunId}", Everyone: true,
            Refit: true, results[^1].ImportRunId);
        var completion = await EnqueueAsync(request, ct);
        await completion.Done.WaitAsync(ct);
    }

    public sealed record Enqueued(long RequestId, Task<JobRequestResult> Done);

    // On demand from a page or a verb: the named jobs (and what depends on them) for everyone, the population figures
    // held; waits for the run. Recorded in job_runs like any other.
    public async Task<JobRequestResult> RunNowAsync(IReadOnlyList<string> jobs, string requestedBy, CancellationToken ct)
    {
        var enqueued = await EnqueueAsync(new JobRequest(JobTrigger.Demand, requestedBy, Everyone: true, Refit: false, Jobs: jobs), ct);
        return await enqueued.Done.WaitAsync(ct);
    }

    public async Task<Enqueued> EnqueueAsync(JobRequest request, CancellationToken ct)
    {
        await _recovery.Value;
        var selected = request.Jobs is null ? null : JobPlan.WithDependents(_nodes, request.Jobs);
        if (request.Jobs?.FirstOrDefault(j => !_jobs.ContainsKey(j)) is { } unknown)
            throw new ArgumentException($"no job is named '{unknown}'; the jobs are {string.Join(", ", Order.Select(j => j.Name))}", nameof(request));
        var jobs = Order.Where(j => selected is null || selected.Contains(j.Name)).ToList();

        var now = Now;
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var rows = jobs.Select(j => new JobRun
        {
            Job = j.Name, Trigger = request.Trigger, Status = JobStatus.Queued, RequestedBy = request.RequestedBy, QueuedAt = now,
            Owner = ProcessOwner.Current,
        }).ToList();
        db.JobRuns.AddRange(rows);
        await db.SaveChangesAsync(ct);
        var requestId = rows[0].Id;
        foreach (var row in rows) row.RequestId = requestId;
        await db.SaveChangesAsync(ct);

        var pending = new Pending(requestId, request, rows.Zip(jobs, (r, j) => (r.Id, j)).ToList());
        await _queue.Writer.WriteAsync(pending, ct);
        _ = _worker.Value;
        return new Enqueued(requestId, pending.Done.Task);
    }

    // Cancels a running run (its transaction rolls back) or a queued one (it will not start). False when it is neither.
    public async Task<bool> CancelAsync(long runId, CancellationToken ct)
    {
        if (_live.TryGetValue(runId, out var live))
        {
            live.CancelRequested = true;
            await live.Cancel.CancelAsync();
            return true;
        }
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var run = await db.JobRuns.SingleOrDefaultAsync(r => r.Id == runId && r.Status == JobStatus.Queued, ct);
        if (run is null || run.Owner != ProcessOwner.Current) return false;
        run.Status = JobStatus.Cancelled;
        run.FinishedAt = Now;
        run.Error = "cancelled before it started";
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<JobsOverview> OverviewAsync(int recent, CancellationToken ct)
    {
        await _recovery.Value;
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var open = await db.JobRuns.AsNoTracking().Where(r => r.Status == JobStatus.Running || r.Status == JobStatus.Queued)
            .OrderBy(r => r.Id).ToListAsync(ct);
        var done = await db.JobRuns.AsNoTracking().Where(r => r.Status != JobStatus.Running && r.Status != JobStatus.Queued)
            .OrderByDescending(r => r.Id).Take(recent).ToListAsync(ct);
        return new JobsOverview(
            open.Where(r => r.Status == JobStatus.Running).Select(View).ToList(),
            open.Where(r => r.Status == JobStatus.Queued).Select(View).ToList(),
            done.Select(View).ToList());
    }

    public async Task<IReadOnlyList<JobRunView>> RunsOfRequestAsync(long requestId, CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var runs = await db.JobRuns.AsNoTracking().Where(r => r.RequestId == requestId).OrderBy(r => r.Id).ToListAsync(ct);
        return runs.Select(View).ToList();
    }

    private JobRunView View(JobRun r) => new(r.Id, r.RequestId, r.Job, _jobs.TryGetValue(r.Job, out var j) ? j.Title : r.Job, r.Trigger,
        r.Status, r.RequestedBy, r.QueuedAt, r.StartedAt, r.FinishedAt, r.Rows,
        _live.TryGetValue(r.Id, out var live) && live.Progress is { } p ? p : r.Progress, r.Error);

    // Runs left running or queued by a process that is gone (killed, crashed) are marked interrupted; their writes were
    // one transaction each, so the store holds what was there before them.
    public async Task<int> RecoverInterruptedAsync(CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var open = await db.JobRuns.Where(r => r.Status == JobStatus.Running || r.Status == JobStatus.Queued).ToListAsync(ct);
        var now = Now;
        var interrupted = 0;
        foreach (var run in open.Where(r => !ProcessOwner.IsAlive(r.Owner)))
        {
            run.Error = run.Status == JobStatus.Running
                ? "interrupted: the process stopped while the job ran (killed or crashed); its changes were rolled back"
                : "interrupted: the process stopped before the job started";
            run.Status = JobStatus.Interrupted;
            run.FinishedAt ??= now;
            interrupted++;
        }
        await db.SaveChangesAsync(ct);
        if (interrupted > 0) _logger.LogWarning("{Count} job run(s) of a stopped process marked interrupted", interrupted);
        return interrupted;
    }

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    private sealed record Pending(long RequestId, JobRequest Request, List<(long RunId, IJob Job)> Runs)
    {
        public TaskCompletionSource<JobRequestResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Live(CancellationToken stopping)
    {
        public CancellationTokenSource Cancel { get; } = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        public volatile string? Progress;
        public volatile bool CancelRequested;
    }

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var pending in _queue.Reader.ReadAllAsync(_stopping.Token))
            {
                try
                {
                    await RunRequestAsync(pending);
                    pending.Done.TrySetResult(new JobRequestResult(pending.RequestId, await RunsOfRequestAsync(pending.RequestId, CancellationToken.None)));
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    pending.Done.TrySetCanceled(_stopping.Token);
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "Job request {Id} failed", pending.RequestId);
                    pending.Done.TrySetException(e);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        while (_queue.Reader.TryRead(out var left)) left.Done.TrySetCanceled(_stopping.Token);
    }

    private async Task RunRequestAsync(Pending pending)
    {
        using var writing = await _gate.EnterAsync(_stopping.Token);
        var (scope, seen) = await ResolveScopeAsync(pending.Request, _stopping.Token);
        var notDone = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (runId, job) in pending.Runs)
        {
            if (await StatusAsync(runId) != JobStatus.Queued)
            {
                notDone.Add(job.Name);
                continue;
            }
            if (job.DependsOn.FirstOrDefault(notDone.Contains) is { } blocker)
            {
                notDone.Add(job.Name);
                await FinishAsync(runId, JobStatus.Skipped, null, $"not run: {_jobs[blocker].Title.ToLowerInvariant()} did not finish");
                continue;
            }
            var live = new Live(_stopping.Token);
            _live[runId] = live;
            try
            {
                await StartAsync(runId);
                var rows = await Task.Run(() => job.RunAsync(new JobContext(scope, m => live.Progress = m), live.Cancel.Token), CancellationToken.None);
                await FinishAsync(runId, JobStatus.Succeeded, rows, null, live.Progress);
            }
            catch (OperationCanceledException) when (live.CancelRequested)
            {
                notDone.Add(job.Name);
                await FinishAsync(runId, JobStatus.Cancelled, null, "cancelled while it ran; its changes were rolled back", live.Progress);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                await FinishAsync(runId, JobStatus.Interrupted, null, "interrupted: the app stopped while the job ran; its changes were rolled back", live.Progress);
                throw;
            }
            catch (Exception e)
            {
                notDone.Add(job.Name);
                _logger.LogError(e, "Job {Job} (run {Id}) failed", job.Name, runId);
                await FinishAsync(runId, JobStatus.Failed, null, e.Message, live.Progress);
            }
            finally
            {
                _live.TryRemove(runId, out _);
                live.Cancel.Dispose();
            }
        }
        // The touched customers are current only once every job has seen them; otherwise the next run takes them again.
        if (notDone.Count == 0 && pending.Runs.Count == _jobs.Count) await ClearTouchedAsync(seen);
    }

    // The touched customers, or everyone when the import said so ('' in touched_customers) or touched too many.
    private async Task<(JobScope Scope, long Seen)> ResolveScopeAsync(JobRequest request, CancellationToken ct)
    {
        await using var connection = await StoreConnections.OpenAsync(_store, ct);
        var seen = await connection.ScalarAsync<long>("SELECT COALESCE(MAX(import_run_id), 0) FROM touched_customers", ct);
        var changedForEveryone =
            await connection.ScalarAsync<long>("SELECT EXISTS (SELECT 1 FROM touched_customers WHERE customer_id = '')", ct) == 1
            || await connection.ScalarAsync<long>($"SELECT COUNT(*) FROM (SELECT 1 FROM touched_customers LIMIT {IncrementalLimit + 1})", ct) > IncrementalLimit;
        return (new JobScope(request.Everyone || changedForEveryone, request.Refit, request.ImportRunId, request.ImportedTable,
            request.Trigger, changedForEveryone), seen);
    }

    private async Task ClearTouchedAsync(long seen)
    {
        await using var connection = await StoreConnections.OpenAsync(_store, CancellationToken.None);
        await connection.ExecuteAsync("DELETE FROM touched_customers WHERE import_run_id <= $seen", CancellationToken.None, ("$seen", seen));
    }

    private async Task<JobStatus?> StatusAsync(long runId)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(CancellationToken.None);
        return await db.JobRuns.Where(r => r.Id == runId).Select(r => (JobStatus?)r.Status).SingleOrDefaultAsync();
    }

    private async Task StartAsync(long runId)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.JobRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.Status, JobStatus.Running)
            .SetProperty(r => r.StartedAt, Now)
            .SetProperty(r => r.Owner, ProcessOwner.Current));
    }

    private async Task FinishAsync(long runId, JobStatus status, long? rows, string? error, string? progress = null)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.JobRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.Status, status)
            .SetProperty(r => r.FinishedAt, Now)
            .SetProperty(r => r.Rows, rows)
            .SetProperty(r => r.Error, error)
            .SetProperty(r => r.Progress, progress));
    }
}
