using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Workbench.Core.Audit;
using Workbench.Core.Campaigns;
using Workbench.Core.Data;
using Workbench.Core.Decisioning;
using Workbench.Core.Kpis;

namespace Workbench.Core.Reports;

// To is the last day included, as a person picks it; the pack stores it excluded.
public sealed record KpiPackRequest(string? Title, DateOnly From, DateOnly To, IReadOnlyList<long> RunIds);

public sealed record KpiPackRequestResult(long? Id, IReadOnlyList<string> Problems);

public sealed record KpiPackRunOption(long RunId, string CampaignName, DateTime AsOf, long Targeted)
{
    public string Label => $"{CampaignName} (run {RunId}, {AsOf:yyyy-MM-dd HH:mm} UTC)";
}

// A pack as the list shows it, without its files. To: excluded.
public sealed record KpiPackSummary(long Id, string Title, DateOnly From, DateOnly To, IReadOnlyList<string> Experiments, bool Weekly,
    string? WeekKey, KpiPackStatus Status, string? Progress, DateTime CreatedAt, string CreatedBy, DateTime? FinishedAt, string? Error,
    long PptxBytes, long HtmlBytes)
{
    public DateOnly LastDay => To.AddDays(-1);
    public bool Active => Status is KpiPackStatus.Queued or KpiPackStatus.Running;
}

public enum KpiPackFormatKind { Pptx, Html }

public sealed record KpiPackFile(string FileName, string ContentType, byte[] Bytes);

// KPI packs: asked for on the page (or claimed by the weekly schedule), built one at a time in the background with
// their progress and outcome in their kpi_packs row, cancellable, and kept to download. A pack's experiments are
// campaign runs; each run's figures are its results over the run page's default attribution window
// (RunResults.DefaultWindowDays from its decision moment), whatever the pack's period; the period chooses the months of
// the KPI charts (and, for the weekly pack, which runs it covers).
public sealed class KpiPackService : IDisposable
{
    public const int MaxRuns = 10, MaxPeriodDays = 366, MaxTitleLength = 120, ListSize = 50;
    public const string WeeklyAuthor = "weekly schedule";

    private readonly IDbContextFactory<WorkbenchDbContext> _dbFactory;
    private readonly StoreLocation _store;
    private readonly CampaignRunner _runner;
    private readonly CampaignResultService _results;
    private readonly KpiService _kpis;
    private readonly AuditService _audit;
    private readonly TimeProvider _clock;
    private readonly ILogger<KpiPackService> _logger;
    private readonly Channel<long> _queue = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _building = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource<KpiPackStatus>> _done = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lazy<Task> _worker;

    public KpiPackService(IDbContextFactory<WorkbenchDbContext> dbFactory, StoreLocation store, CampaignRunner runner,
        CampaignResultService results, KpiService kpis, AuditService audit, TimeProvider clock, ILogger<KpiPackService> logger)
    {
        _audit = audit;
        _dbFactory = dbFactory;
        _store = store;
        _runner = runner;
        _results = results;
        _kpis = kpis;
        _clock = clock;
        _logger = logger;
        _worker = new Lazy<Task>(() => Task.Run(WorkAsync));
    }

    public void Dispose() => _stopping.Cancel();

    // The runs a pack may cover: those that finished, newest first.
    public async Task<IReadOnlyList<KpiPackRunOption>> RunOptionsAsync(CancellationToken ct) =>
        (await _runner.RunsAsync(null, 500, ct)).Where(r => r.Status == CampaignRunStatus.Succeeded)
            .Select(r => new KpiPackRunOption(r.Id, r.Campaign.Name, r.AsOf, r.Targeted)).ToList();

    public async Task<IReadOnlyList<KpiPackSummary>> ListAsync(CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<KpiPack>().AsNoTracking().OrderByDescending(p => p.Id).Take(ListSize)
            .Select(p => new { p.Id, p.Title, p.PeriodFrom, p.PeriodTo, p.RunIds, p.Weekly, p.WeekKey, p.Status, p.Progress, p.CreatedAt,
                p.CreatedBy, p.FinishedAt, p.Error, p.PptxBytes, p.HtmlBytes })
            .ToListAsync(ct);
        var names = rows.Count == 0 ? new Dictionary<long, string>() : (await _runner.RunsAsync(null, 500, ct)).ToDictionary(r => r.Id, r => r.Campaign.Name);
        return rows.Select(p => new KpiPackSummary(p.Id, p.Title, DateOnly.FromDateTime(p.PeriodFrom), DateOnly.FromDateTime(p.PeriodTo),
            ParseRuns(p.RunIds).Select(id => names.TryGetValue(id, out var n) ? $"{n} (run {id})" : $"run {id}").ToList(), p.Weekly, p.WeekKey,
            p.Status, p.Progress, p.CreatedAt, p.CreatedBy, p.FinishedAt, p.Error, p.PptxBytes, p.HtmlBytes)).ToList();
    }

    public static IReadOnlyList<string> Validate(KpiPackRequest request)
    {
        var problems = new List<string>();
        if (request.Title is { } t && t.Trim().Length > MaxTitleLength) problems.Add($"The title has more than {MaxTitleLength} characters.");
        if (request.RunIds.Count == 0) problems.Add("Choose at least one experiment.");
        if (request.RunIds.Distinct().Count() > MaxRuns) problems.Add($"Choose at most {MaxRuns} experiments.");
        if (request.To < request.From) problems.Add("The period ends before it starts.");
        else if (request.To.DayNumber - request.From.DayNumber + 1 > MaxPeriodDays) problems.Add($"The period is longer than {MaxPeriodDays} days.");
        return problems;
    }

    public async Task<KpiPackRequestResult> RequestAsync(KpiPackRequest request, string user, CancellationToken ct)
    {
        var problems = Validate(request).ToList();
        var runs = request.RunIds.Distinct().ToList();
        if (problems.Count == 0)
        {
            var known = (await RunOptionsAsync(ct)).Select(r => r.RunId).ToHashSet();
            problems.AddRange(runs.Where(id => !known.Contains(id)).Select(id => $"There is no finished run {id}."));
        }
        if (problems.Count > 0) return new KpiPackRequestResult(null, problems);
        var title = string.IsNullOrWhiteSpace(request.Title)
            ? $"KPI pack {KpiPackFormat.Day(request.From)} to {KpiPackFormat.Day(request.To)}"
            : request.Title.Trim();
        var id = await InsertAsync(title, request.From, request.To.AddDays(1), runs, null, user, ct);
        Enqueue(id!.Value);
        return new KpiPackRequestResult(id, []);
    }

    // The weekly pack of an ISO week, claimed by its unique key: null when the week already has one (another tick, an
    // earlier start of the app) or had no run. Covers the runs whose decision moment is inside [from, to), at most MaxRuns
    // (the latest).
    public async Task<long?> ClaimWeeklyAsync(string weekKey, DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using (var db = await _dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.Set<KpiPack>().AnyAsync(p => p.WeekKey == weekKey, ct)) return null;
        }
        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = to.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var runs = (await RunOptionsAsync(ct)).Where(r => r.AsOf >= start && r.AsOf < end).Take(MaxRuns).Select(r => r.RunId).Reverse().ToList();
        // A week in which no run was decided has no experiment to report (the KPI overview has the KPIs): no pack. Runs are
        // decided at the moment they are claimed, so a past week never gains one later.
        if (runs.Count == 0) return null;
        var id = await InsertAsync($"Weekly KPI pack {weekKey}", from, to, runs, weekKey, WeeklyAuthor, ct);
        if (id is { } claimed) Enqueue(claimed);
        return id;
    }

    public async Task<bool> CancelAsync(long id, CancellationToken ct)
    {
        if (_building.TryGetValue(id, out var cts))
        {
            await cts.CancelAsync();
            return true;
        }
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var cancelled = await db.Set<KpiPack>().Where(p => p.Id == id && p.Status == KpiPackStatus.Queued)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, KpiPackStatus.Cancelled)
                .SetProperty(p => p.FinishedAt, _clock.GetUtcNow().UtcDateTime).SetProperty(p => p.Progress, (string?)null), ct) == 1;
        if (cancelled) Finish(id, KpiPackStatus.Cancelled);
        return cancelled;
    }

    // Completes when the pack's build ends (at once for a pack that is not queued or building in this process).
    public Task<KpiPackStatus> WhenDoneAsync(long id) => _done.TryGetValue(id, out var done) ? done.Task : StatusAsync(id);

    public async Task<KpiPackStatus> StatusAsync(long id)
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        return await db.Set<KpiPack>().Where(p => p.Id == id).Select(p => p.Status).FirstAsync();
    }

    // A download is audited (who took which pack, in which format): packs leave the app for boards and inboxes.
    public async Task<KpiPackFile?> FileAsync(long id, KpiPackFormatKind format, string user, CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var pack = await db.Set<KpiPack>().AsNoTracking().Where(p => p.Id == id && p.Status == KpiPackStatus.Succeeded)
            .Select(p => new { p.Title, p.PeriodFrom, Bytes = format == KpiPackFormatKind.Pptx ? p.Pptx : p.Html }).FirstOrDefaultAsync(ct);
        if (pack?.Bytes is null) return null;
        await _audit.RecordAsync(user, AuditActions.Export, AuditEntities.KpiPack, id.ToString(CultureInfo.InvariantCulture),
            [new FieldChange("format", null, format.ToString().ToLowerInvariant())], ct);
        var name = FileName(id, pack.Title, DateOnly.FromDateTime(pack.PeriodFrom));
        return format == KpiPackFormatKind.Pptx
            ? new KpiPackFile(name + ".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", pack.Bytes)
            : new KpiPackFile(name + ".html", "text/html; charset=utf-8", pack.Bytes);
    }

    // "kpi-pack-12-weekly-kpi-pack-2026-w48": the id keeps names unique, the slug of the title tells them apart.
    public static string FileName(long id, string title, DateOnly from)
    {
        var slug = new string(title.ToLowerInvariant().Select(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '-').ToArray());
        while (slug.Contains("--", StringComparison.Ordinal)) slug = slug.Replace("--", "-", StringComparison.Ordinal);
        slug = slug.Trim('-');
        if (slug.Length > 60) slug = slug[..60].TrimEnd('-');
        return slug.Length == 0 ? $"kpi-pack-{id}-{KpiPackFormat.Day(from)}" : $"kpi-pack-{id}-{slug}";
    }

    // A pack left queued or building by a process that is gone (the app was stopped) is marked interrupted.
    public async Task RecoverInterruptedAsync(CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var mine = _building.Keys.Concat(_done.Keys).ToList();
        await db.Set<KpiPack>().Where(p => (p.Status == KpiPackStatus.Queued || p.Status == KpiPackStatus.Running) && !mine.Contains(p.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, KpiPackStatus.Interrupted).SetProperty(p => p.Progress, (string?)null), ct);
    }

    // The pack's content from the store: every chart and table, before it is written as a deck and a page.
    public async Task<PackContent> ComposeAsync(string title, DateOnly from, DateOnly to, IReadOnlyList<long> runIds, IProgress<string>? progress,
        CancellationToken ct)
    {
        var experiments = new List<PackExperiment>();
        foreach (var id in runIds)
        {
            progress?.Report($"Reading the results of run {id} ({experiments.Count + 1} of {runIds.Count})");
            if (await _runner.GetAsync(id, ct) is not { } run || await _results.ForRunAsync(id, RunResults.DefaultWindowDays, ct) is not { } results)
                throw new InvalidOperationException($"Run {id} no longer exists.");
            var daily = await IncrementalRevenue.DailyAsync(_store, id, results.From, results.To, ct);
            experiments.Add(new PackExperiment(id, run.Campaign.Name, run.AsOf, results, daily));
        }
        progress?.Report("Reading the monthly KPIs");
        var segments = (await _kpis.SegmentsAsync(ct)).ToDictionary(s => s.Id.ToString(CultureInfo.InvariantCulture), s => s.Name);
        var overview = await _kpis.OverviewAsync(new KpiQuery(KpiPeriodKind.LastTwelveMonths), ct);
        var lastMonth = new DateOnly(to.AddDays(-1).Year, to.AddDays(-1).Month, 1);
        var series = overview.Groups.FirstOrDefault()?.Months ?? [];

        progress?.Report("Drawing the charts");
        var charts = new List<PackChart>
        {
            KpiPackCharts.Lift(experiments),
            KpiPackCharts.Heatmap(experiments, segments),
            KpiPackCharts.Incremental(experiments),
        };
        foreach (var key in KpiChartMeasures)
        {
            ct.ThrowIfCancellationRequested();
            var measure = KpiMeasures.All.Single(m => m.Key == key);
            charts.Add(KpiPackCharts.KpiOverTime(measure.Title, MonthsAgainstYearBefore(series, measure, lastMonth)));
        }
        var tables = experiments.Select(ResultsTable).ToList();
        return new PackContent(title, from, to, experiments.Select(e => e.Label).ToList(), _clock.GetUtcNow().UtcDateTime, charts, tables);
    }

    public static readonly IReadOnlyList<string> KpiChartMeasures = ["net-revenue", "active-customers"];

    // The 12 months ending with lastMonth that the store has, each with the same month a year earlier as its baseline
    // (the KPI overview's "last year" comparison, month by month; none where the store has no such month).
    public static IReadOnlyList<KpiMonthPoint> MonthsAgainstYearBefore(IReadOnlyList<KpiMonth> series, KpiMeasure measure, DateOnly lastMonth)
    {
        var (first, last) = (MonthRange.Key(lastMonth.AddMonths(-11)), MonthRange.Key(lastMonth));
        return series.Zip(KpiMeasures.YearEarlier(series, measure))
            .Where(p => string.CompareOrdinal(p.First.Month, first) >= 0 && string.CompareOrdinal(p.First.Month, last) <= 0)
            .Select(p => (p.First.Month, Value: measure.Value(p.First.Figures), Before: p.Second))
            .Where(p => p.Value is not null)
            .OrderBy(p => p.Month, StringComparer.Ordinal)
            .Select(p => new KpiMonthPoint(p.Month, p.Value!.Value, p.Before))
            .ToList();
    }

    public static readonly IReadOnlyList<string> TableHeader = ["Metric", "Variant", "n", "Variant value", "Control value", "Lift", "95% CI", "p", "Adjusted p"];

    // Everyone's cells of a run: per metric and variant, the run page's figures.
    public static PackTable ResultsTable(PackExperiment e)
    {
        var rows = e.Results.Cells.Where(c => c.Segment is null).Select(c => (IReadOnlyList<string>)
        [
            c.Metric, c.Variant, c.N.ToString(CultureInfo.InvariantCulture), KpiPackFormat.Value(c, c.Value), KpiPackFormat.Value(c, c.ControlValue),
            KpiPackFormat.Lift(c, c.AbsoluteLift), KpiPackFormat.Interval(c), KpiPackFormat.P(c.PValue), KpiPackFormat.P(c.AdjustedPValue),
        ]).ToList();
        var control = e.Results.Arms.FirstOrDefault(a => a.Arm == ArmAssignment.ControlArm)?.Customers ?? 0;
        return new PackTable($"{e.Label}: results against control", $"All targeted customers, {e.Results.WindowDays}-day window from " +
            $"{e.Results.From:yyyy-MM-dd HH:mm} UTC{(e.Results.Open ? " (still open: partial)" : "")}; control n = {control}. Conversion: " +
            "two-proportion z-test, unpooled 95% Wald interval; revenue and margin per customer: Welch t-test; p adjusted by " +
            "Benjamini–Hochberg across the run's cells.", TableHeader, rows);
    }

    private async Task<long?> InsertAsync(string title, DateOnly from, DateOnly toExcluded, IReadOnlyList<long> runs, string? weekKey, string user,
        CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var pack = new KpiPack
        {
            Title = title,
            PeriodFrom = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            PeriodTo = toExcluded.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            RunIds = string.Join(',', runs.Select(r => r.ToString(CultureInfo.InvariantCulture))),
            Weekly = weekKey is not null,
            WeekKey = weekKey,
            Status = KpiPackStatus.Queued,
            Progress = "Waiting to start",
            CreatedAt = _clock.GetUtcNow().UtcDateTime,
            CreatedBy = user,
        };
        db.Add(pack);
        // The pack and its audit entry commit together: the entry needs the pack's id, so two saves in one transaction.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (weekKey is not null)
        {
            return null; // another process claimed the week between the look and the insert
        }
        db.Add(_audit.Entry(user, AuditActions.Create, AuditEntities.KpiPack, pack.Id.ToString(CultureInfo.InvariantCulture),
        [
            new FieldChange("title", null, title),
            new FieldChange("period", null, $"{KpiPackFormat.Day(from)} to {KpiPackFormat.Day(toExcluded.AddDays(-1))}"),
            new FieldChange("runs", null, pack.RunIds),
        ]));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return pack.Id;
    }

    private void Enqueue(long id)
    {
        _done.TryAdd(id, new TaskCompletionSource<KpiPackStatus>(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Writer.TryWrite(id);
        _ = _worker.Value;
    }

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var id in _queue.Reader.ReadAllAsync(_stopping.Token)) await BuildAsync(id);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task BuildAsync(long id)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        _building[id] = cts;
        var ct = cts.Token;
        var status = KpiPackStatus.Failed;
        try
        {
            KpiPack? pack;
            await using (var db = await _dbFactory.CreateDbContextAsync(ct))
            {
                pack = await db.Set<KpiPack>().FirstOrDefaultAsync(p => p.Id == id && p.Status == KpiPackStatus.Queued, ct);
                if (pack is null)
                {
                    status = await db.Set<KpiPack>().Where(p => p.Id == id).Select(p => p.Status).FirstOrDefaultAsync(ct);
                    return;
                }
                pack.Status = KpiPackStatus.Running;
                pack.Progress = "Starting";
                await db.SaveChangesAsync(ct);
            }
            var progress = new Progress(this, id);
            var content = await ComposeAsync(pack.Title, DateOnly.FromDateTime(pack.PeriodFrom), DateOnly.FromDateTime(pack.PeriodTo),
                ParseRuns(pack.RunIds), progress, ct);
            await progress.ReportAsync("Writing the deck");
            var pptx = KpiPackDeck.Write(content);
            ct.ThrowIfCancellationRequested();
            await progress.ReportAsync("Writing the HTML page");
            var html = KpiPackHtml.Write(content);
            ct.ThrowIfCancellationRequested();
            await using (var db = await _dbFactory.CreateDbContextAsync(ct))
            {
                await db.Set<KpiPack>().Where(p => p.Id == id).ExecuteUpdateAsync(u => u
                    .SetProperty(p => p.Status, KpiPackStatus.Succeeded).SetProperty(p => p.Progress, (string?)null)
                    .SetProperty(p => p.FinishedAt, _clock.GetUtcNow().UtcDateTime)
                    .SetProperty(p => p.Pptx, pptx).SetProperty(p => p.PptxBytes, pptx.LongLength)
                    .SetProperty(p => p.Html, html).SetProperty(p => p.HtmlBytes, html.LongLength), ct);
            }
            status = KpiPackStatus.Succeeded;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            status = _stopping.IsCancellationRequested ? KpiPackStatus.Interrupted : KpiPackStatus.Cancelled;
            await EndAsync(id, status, null);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "KPI pack {Id} failed", id);
            status = KpiPackStatus.Failed;
            await EndAsync(id, status, e.Message);
        }
        finally
        {
            _building.TryRemove(id, out _);
            Finish(id, status);
        }
    }

    private async Task EndAsync(long id, KpiPackStatus status, string? error)
    {
        try
        {
            await using var db = await _dbFactory.CreateDbContextAsync();
            await db.Set<KpiPack>().Where(p => p.Id == id).ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, status)
                .SetProperty(p => p.Progress, (string?)null).SetProperty(p => p.Error, error)
                .SetProperty(p => p.FinishedAt, _clock.GetUtcNow().UtcDateTime));
        }
        catch (Exception e)
        {
            _logger.LogError(e, "KPI pack {Id}: its outcome could not be recorded", id);
        }
    }

    private void Finish(long id, KpiPackStatus status)
    {
        if (_done.TryRemove(id, out var done)) done.TrySetResult(status);
    }

    private async Task SetProgressAsync(long id, string text)
    {
        try
        {
            await using var db = await _dbFactory.CreateDbContextAsync();
            await db.Set<KpiPack>().Where(p => p.Id == id && p.Status == KpiPackStatus.Running).ExecuteUpdateAsync(u => u.SetProperty(p => p.Progress, text));
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "KPI pack {Id}: progress not recorded", id); // the build goes on; only the shown step lags
        }
    }

    private static IReadOnlyList<long> ParseRuns(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToList();

    // Progress goes to the pack's row (what the page shows); a step waits for its write, so the row follows the build.
    private sealed class Progress(KpiPackService service, long id) : IProgress<string>
    {
        private Task _last = Task.CompletedTask;

        public void Report(string value) => _last = ReportAsync(value);

        public async Task ReportAsync(string value)
        {
            await _last;
            await service.SetProgressAsync(id, value);
        }
    }
}
