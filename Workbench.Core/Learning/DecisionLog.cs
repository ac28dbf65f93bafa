using Microsoft.EntityFrameworkCore;
using Workbench.Core.Audit;
using Workbench.Core.Campaigns;
using Workbench.Core.Data;
using Workbench.Core.Playbook;

namespace Workbench.Core.Learning;

// What the squad decides on one experiment. Apply: also carry the decision out on the campaign (scale: a pilot becomes
// scaled; stop: the campaign is finished); iterate changes nothing on the campaign.
public sealed record DecisionDraft(string CampaignId, long? RunId, DecisionKind Decision, string Owner, DateOnly DecidedOn,
    string Hypothesis, string Result, string Rationale, IReadOnlyList<string> Segments, IReadOnlyList<string> Objectives,
    IReadOnlyList<string> Themes, IReadOnlyList<string> Channels, bool Apply = false);

// Saved is null when refused (Problems says why, by field). Applied: what was done to the campaign, if anything.
public sealed record DecisionSaveResult(SquadDecision? Saved, IReadOnlyList<ValidationMessage> Problems, string? Applied = null);

// The learnings library's search: words in the campaign, hypothesis, result or rationale (any case), and whole names of
// a segment, objective, theme or channel.
public sealed record LearningFilter(string? Search = null, string? Segment = null, string? Objective = null, string? Theme = null,
    string? Channel = null, DecisionKind? Decision = null, int Skip = 0, int Take = 50)
{
    public const int MaxTake = 500, MaxSearchLength = 200;
}

public sealed record LearningPage(IReadOnlyList<SquadDecision> Items, int Total);

// The names the library's filters offer: every one used by a logged decision.
public sealed record LearningFacets(IReadOnlyList<string> Segments, IReadOnlyList<string> Objectives, IReadOnlyList<string> Themes,
    IReadOnlyList<string> Channels);

public sealed class DecisionLog(IDbContextFactory<WorkbenchDbContext> dbFactory, CampaignStore campaigns, AuditService audit, TimeProvider clock)
{
    public const int MaxTextLength = 2_000, MaxOwnerLength = 200, MaxNames = 100, MaxNameLength = 200;
    public const string AuditEntity = "decision";

    // A draft for an experiment on the meeting's agenda: the recommendation as the decision, the campaign's owner, its
    // description as the hypothesis, the recommendation's headline and evidence as the result, and the names the
    // library searches by (segments, objectives of its plays' use cases, variant themes, channels).
    public static DecisionDraft DraftFor(MeetingExperiment experiment, IReadOnlyDictionary<long, string> segmentNames,
        IReadOnlyDictionary<string, PlaySummary> plays, DateOnly today)
    {
        var c = experiment.Campaign;
        var campaignPlays = c.PlayIds.Select(id => plays.GetValueOrDefault(id)).OfType<PlaySummary>().ToList();
        var channels = c.Channels.Count > 0 ? c.Channels : campaignPlays.SelectMany(p => p.Channels);
        var result = string.Join(" ", new[] { experiment.Recommendation.Headline }.Concat(experiment.Recommendation.Evidence));
        return new DecisionDraft(c.Id, experiment.Run.Id, experiment.Recommendation.Decision, c.Owner, today, c.Description, result, "",
            c.SegmentIds.Select(id => segmentNames.GetValueOrDefault(id, $"segment {id}")).ToList(),
            campaignPlays.Select(p => p.Objective).OfType<Objective>().Select(o => o.ToString()).Distinct().ToList(),
            c.Variants.Select(v => v.Theme).OfType<string>().Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList(),
            channels.Distinct(StringComparer.Ordinal).ToList());
    }

    public static IReadOnlyList<ValidationMessage> Validate(DecisionDraft d)
    {
        var problems = new List<ValidationMessage>();
        void Error(string field, string message) => problems.Add(new ValidationMessage(Severity.Error, field, message));
        if (!Enum.IsDefined(d.Decision)) Error("decision", "choose scale, iterate or stop");
        if (string.IsNullOrWhiteSpace(d.Owner)) Error("owner", "name the owner of the decision");
        else if (d.Owner.Length > MaxOwnerLength) Error("owner", $"the owner is at most {MaxOwnerLength} characters");
        if (string.IsNullOrWhiteSpace(d.Rationale)) Error("rationale", "say why: the rationale is what the library teaches later");
        foreach (var (field, text) in new[] { ("hypothesis", d.Hypothesis), ("result", d.Result), ("rationale", d.Rationale) })
            if (text.Length > MaxTextLength) Error(field, $"the {field} is at most {MaxTextLength:N0} characters; shorten it");
        if (d.DecidedOn.Year is < 2000 or > 2100) Error("decidedOn", "give a date between 2000 and 2100");
        foreach (var (field, names) in new[] { ("segments", d.Segments), ("objectives", d.Objectives), ("themes", d.Themes), ("channels", d.Channels) })
        {
            if (names.Count > MaxNames) Error(field, $"at most {MaxNames} {field}");
            if (names.Any(n => n.Length > MaxNameLength || n.Contains(';'))) Error(field, $"each name is at most {MaxNameLength} characters, without ';'");
        }
        return problems;
    }

    public async Task<DecisionSaveResult> RecordAsync(DecisionDraft draft, string user, CancellationToken ct)
    {
        var problems = Validate(draft);
        if (problems.Count > 0) return new DecisionSaveResult(null, problems);
        if (await campaigns.GetAsync(draft.CampaignId, ct) is not { } campaign)
            return new DecisionSaveResult(null, [new ValidationMessage(Severity.Error, "campaignId", $"there is no campaign '{draft.CampaignId}'")]);
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new SquadDecision
        {
            CampaignId = campaign.Id, CampaignName = campaign.Name, RunId = draft.RunId, Decision = draft.Decision, Owner = draft.Owner.Trim(),
            DecidedOn = draft.DecidedOn, Hypothesis = draft.Hypothesis.Trim(), Result = draft.Result.Trim(), Rationale = draft.Rationale.Trim(),
            Segments = Join(draft.Segments), Objectives = Join(draft.Objectives), Themes = Join(draft.Themes), Channels = Join(draft.Channels),
            RecordedBy = user, RecordedAt = now,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.Add(row);
            await db.SaveChangesAsync(ct);
        }
        await audit.RecordAsync(user, AuditActions.Create, AuditEntity, row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [new FieldChange("decision", null, $"{row.Decision} on {campaign.Name}{(row.RunId is { } r ? $" run {r}" : "")}: {row.Rationale}")], ct);
        var applied = draft.Apply ? await ApplyAsync(campaign, draft.Decision, user, ct) : null;
        return new DecisionSaveResult(row, [], applied);
    }

    // Scale: a pilot moves to scaled. Stop: a campaign not finished is finished. Each a new, audited campaign version.
    private async Task<string?> ApplyAsync(Campaign campaign, DecisionKind decision, string user, CancellationToken ct)
    {
        var changed = decision switch
        {
            DecisionKind.Scale when campaign.Stage == CampaignStage.Pilot => campaign with { Stage = CampaignStage.Scaled },
            DecisionKind.Stop when campaign.Status != CampaignStatus.Finished && CampaignStatusRules.MayMove(campaign.Status, CampaignStatus.Finished)
                => campaign with { Status = CampaignStatus.Finished },
            _ => null,
        };
        if (changed is null)
            return decision == DecisionKind.Iterate ? null : $"the campaign is already {(decision == DecisionKind.Scale ? "scaled" : campaign.Status.ToString().ToLowerInvariant())}; nothing to change";
        var saved = await campaigns.UpdateAsync(changed, campaign.Version, user, ct);
        return saved.Saved is not null
            ? decision == DecisionKind.Scale ? "the campaign moved from pilot to scaled" : "the campaign is finished"
            : "the campaign could not be changed: " + string.Join("; ", saved.Problems.Select(p => p.Message).DefaultIfEmpty("it was saved by someone else meanwhile"));
    }

    public async Task<IReadOnlyList<SquadDecision>> ForRunsAsync(IReadOnlyCollection<long> runIds, CancellationToken ct)
    {
        if (runIds.Count == 0) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = runIds.Select(id => (long?)id).ToList();
        return await db.Set<SquadDecision>().AsNoTracking().Where(d => ids.Contains(d.RunId)).ToListAsync(ct);
    }

    public async Task<LearningPage> SearchAsync(LearningFilter filter, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Set<SquadDecision>().AsNoTracking();
        if (Trimmed(filter.Search) is { } s)
        {
            var lower = s.ToLowerInvariant();
            q = q.Where(d => d.CampaignName.ToLower().Contains(lower) || d.Hypothesis.ToLower().Contains(lower)
                             || d.Result.ToLower().Contains(lower) || d.Rationale.ToLower().Contains(lower));
        }
        if (Trimmed(filter.Segment) is { } segment) q = q.Where(d => d.Segments.Contains(";" + segment + ";"));
        if (Trimmed(filter.Objective) is { } objective) q = q.Where(d => d.Objectives.Contains(";" + objective + ";"));
        if (Trimmed(filter.Theme) is { } theme) q = q.Where(d => d.Themes.Contains(";" + theme + ";"));
        if (Trimmed(filter.Channel) is { } channel) q = q.Where(d => d.Channels.Contains(";" + channel + ";"));
        if (filter.Decision is { } decision) q = q.Where(d => d.Decision == decision);
        var total = await q.CountAsync(ct);
        var items = await q.OrderByDescending(d => d.DecidedOn).ThenByDescending(d => d.Id)
            .Skip(Math.Max(0, filter.Skip)).Take(Math.Clamp(filter.Take, 1, LearningFilter.MaxTake)).ToListAsync(ct);
        return new LearningPage(items, total);
    }

    public async Task<LearningFacets> FacetsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<SquadDecision>().AsNoTracking().Select(d => new { d.Segments, d.Objectives, d.Themes, d.Channels }).ToListAsync(ct);
        static IReadOnlyList<string> Names(IEnumerable<string> joined) =>
            joined.SelectMany(Split).Distinct(StringComparer.Ordinal).Order(StringComparer.OrdinalIgnoreCase).ToList();
        return new LearningFacets(Names(rows.Select(r => r.Segments)), Names(rows.Select(r => r.Objectives)), Names(rows.Select(r => r.Themes)),
            Names(rows.Select(r => r.Channels)));
    }

    public static IReadOnlyList<string> Split(string joined) => joined.Split(';', StringSplitOptions.RemoveEmptyEntries);

    private static string Join(IEnumerable<string> names)
    {
        var list = names.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "" : ";" + string.Join(";", list) + ";";
    }

    private static string? Trimmed(string? s) =>
        s?.Trim() is { Length: > 0 } t ? t[..Math.Min(t.Length, LearningFilter.MaxSearchLength)] : null;
}
