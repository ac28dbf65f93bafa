using Workbench.Core.Campaigns;
using Workbench.Core.Experiments.Statistics;

namespace Workbench.Core.Learning;

// Why an experiment is on this week's agenda: its run started (decided) in the week, its attribution window ended in
// it, it moved (its campaign was saved after the run, for example a stage or allocation change, or a decision on it was
// logged), or
// it was live all week.
public enum AgendaTag { Started, Ended, Moved, Live }

// One experiment at the meeting: a succeeded run of a campaign with a control group and at least one variant, its
// results with p-values adjusted as the meeting chose, its recommendation and the decisions already logged on it.
public sealed record MeetingExperiment(CampaignRunView Run, RunResults Results, IReadOnlyList<CellResult> Cells,
    IReadOnlyList<AgendaTag> Tags, Recommendation Recommendation, IReadOnlyList<SquadDecision> Decisions)
{
    public Campaign Campaign => Run.Campaign;
}

// One experiment on a week's agenda as read from the store, before any correction.
public sealed record AgendaItem(CampaignRunView Run, IReadOnlyList<AgendaTag> Tags, RunResults Results, IReadOnlyList<SquadDecision> Decisions);

public sealed record MeetingAgenda(DateOnly Monday, DateTime From, DateTime To, int WindowDays, IReadOnlyList<AgendaItem> Items);

// The week [From, To): Monday 00:00 UTC included to the next Monday excluded. Hypotheses: every p-value taken into the
// correction; Significant: those whose adjusted p is below the gates' alpha.
public sealed record MeetingWeek(DateOnly Monday, DateTime From, DateTime To, Correction Correction, CorrectionScope Scope,
    int WindowDays, IReadOnlyList<MeetingExperiment> Experiments, int Hypotheses, int Significant, StageGateOptions Gates)
{
    public IEnumerable<CellResult> SignificantCells =>
        ExperimentAnalysis.Rank(Experiments.SelectMany(e => e.Cells).Where(c => c.AdjustedPValue is { } p && p < Gates.Alpha));
}

// The weekly squad meeting: every experiment on the week's agenda, corrected for multiple testing in the scope the squad
// chose (per metric within an experiment, per experiment, or across the week's whole portfolio), each with the
// recommended decision. Experiments: a run's cells are named "run {id}", so the portfolio scope pools every run here.
public sealed class SquadMeeting(CampaignRunner runner, CampaignResultService results, CampaignStore campaigns, DecisionLog log, TimeProvider clock)
{
    public const int MaxRuns = 500;

    public static DateOnly MondayOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public DateOnly ThisWeek => MondayOf(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));

    // The latest week up to this one in which an experiment started or its window ended; null when there is none.
    public async Task<DateOnly?> LatestWeekAsync(CancellationToken ct, int windowDays = RunResults.DefaultWindowDays)
    {
        var weeks = (await ExperimentsAsync(ct))
            .SelectMany(r => new[] { r.AsOf, r.AsOf.AddDays(windowDays) })
            .Select(at => MondayOf(DateOnly.FromDateTime(at)))
            .Where(m => m <= ThisWeek)
            .ToList();
        return weeks.Count == 0 ? null : weeks.Max();
    }

    private async Task<List<CampaignRunView>> ExperimentsAsync(CancellationToken ct) =>
        (await runner.RunsAsync(null, MaxRuns, ct))
            .Where(r => r.Status == CampaignRunStatus.Succeeded && r.Campaign.ControlPercent > 0 && r.Campaign.Variants.Count > 0)
            .ToList();

    public async Task<MeetingWeek> WeekAsync(DateOnly monday, Correction correction, CorrectionScope scope, CancellationToken ct,
        int windowDays = RunResults.DefaultWindowDays, StageGateOptions? gates = null) =>
        Correct(await AgendaAsync(monday, ct, windowDays), correction, scope, gates);

    // What the store says about the week: the experiments on its agenda, their results and the decisions logged on them.
    // Read once per week shown; another correction or scope is Correct on the same agenda.
    public async Task<MeetingAgenda> AgendaAsync(DateOnly monday, CancellationToken ct, int windowDays = RunResults.DefaultWindowDays)
    {
        monday = MondayOf(monday);
        var from = monday.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var to = from.AddDays(7);
        var saved = new Dictionary<string, List<DateTime>>(StringComparer.Ordinal);
        var candidates = await ExperimentsAsync(ct);
        var decisions = await log.ForRunsAsync(candidates.Select(r => r.Id).ToList(), ct);
        foreach (var campaignId in candidates.Select(r => r.CampaignId).Distinct(StringComparer.Ordinal))
        {
            saved[campaignId] = (await campaigns.HistoryAsync(campaignId, ct)).Select(v => v.ChangedAt).Where(at => at >= from && at < to).ToList();
        }
        var items = new List<AgendaItem>();
        foreach (var run in candidates.OrderBy(r => r.AsOf).ThenBy(r => r.Id))
        {
            var end = run.AsOf.AddDays(windowDays);
            var tags = new List<AgendaTag>();
            if (run.AsOf >= from && run.AsOf < to) tags.Add(AgendaTag.Started);
            if (end >= from && end < to) tags.Add(AgendaTag.Ended);
            if (saved[run.CampaignId].Any(at => at > run.AsOf) || decisions.Any(d => d.RunId == run.Id && d.RecordedAt >= from && d.RecordedAt < to)) tags.Add(AgendaTag.Moved);
            if (tags.Count == 0 && run.AsOf < from && end >= to) tags.Add(AgendaTag.Live);
            if (tags.Count > 0 && await results.ForRunAsync(run.Id, windowDays, ct) is { } r)
                items.Add(new AgendaItem(run, tags, r, decisions.Where(d => d.RunId == run.Id).OrderByDescending(d => d.RecordedAt).ToList()));
        }
        return new MeetingAgenda(monday, from, to, windowDays, items);
    }

    // Pure: one correction over every experiment's cells (so the portfolio scope sees them all together), then each
    // experiment's recommendation from its cells.
    public static MeetingWeek Correct(MeetingAgenda agenda, Correction correction, CorrectionScope scope, StageGateOptions? gates = null)
    {
        gates ??= StageGateOptions.Default;
        var corrected = ExperimentAnalysis.Correct(agenda.Items.SelectMany(i => i.Results.Cells).ToList(), correction, scope);
        var experiments = new List<MeetingExperiment>(agenda.Items.Count);
        var offset = 0;
        foreach (var item in agenda.Items)
        {
            var cells = corrected.GetRange(offset, item.Results.Cells.Count);
            offset += item.Results.Cells.Count;
            experiments.Add(new MeetingExperiment(item.Run, item.Results, cells, item.Tags, StageGates.Recommend(item.Results, cells, gates), item.Decisions));
        }
        var hypotheses = corrected.Count(c => c.PValue is not null);
        var significant = corrected.Count(c => c.AdjustedPValue is { } p && p < gates.Alpha);
        return new MeetingWeek(agenda.Monday, agenda.From, agenda.To, correction, scope, agenda.WindowDays, experiments, hypotheses, significant, gates);
    }
}
