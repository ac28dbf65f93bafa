using Microsoft.EntityFrameworkCore;
using Workbench.Core.Audit;
using Workbench.Core.Data;
using Workbench.Core.Playbook;
using Workbench.Core.Segments;

namespace Workbench.Core.Campaigns;

public sealed record CampaignFilter(string? Search = null, CampaignStatus? Status = null, CampaignStage? Stage = null, int Skip = 0, int Take = 50)
{
    public const int MaxTake = 500, MaxSearchLength = 200;
}

public sealed record CampaignSummary(string Id, string Name, string Owner, CampaignStatus Status, CampaignStage Stage, DateTime? NextRunAt,
    int Version, DateTime UpdatedAt, Campaign Campaign);

public sealed record CampaignPage(IReadOnlyList<CampaignSummary> Items, int Total);

// Saved is null when refused: Problems holds the errors, or Conflict is true with CurrentVersion = the stored version.
// When saved, Problems holds what the validator still says (warnings).
public sealed record CampaignSaveResult(Campaign? Saved, IReadOnlyList<ValidationMessage> Problems, bool Conflict = false, int? CurrentVersion = null);

public sealed record CampaignVersionEntry(int Version, string ChangedBy, DateTime ChangedAt, string Summary, string Json);

// Campaigns in the store: validated against the playbook and the saved segments, every save a new version and an audit
// entry in one transaction, optimistic concurrency on Version. NextRunAt is the schedule's next run after the save
// while the campaign is scheduled (null otherwise): the list sorts on it, the scheduler will claim by it.
public sealed class CampaignStore(IDbContextFactory<WorkbenchDbContext> dbFactory, AuditService audit, TimeProvider clock)
{
    public async Task<CampaignPage> ListAsync(CampaignFilter filter, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Set<StoredCampaign>().AsNoTracking();
        if (filter.Search is { Length: > 0 } search)
        {
            var like = "%" + search.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            q = q.Where(c => EF.Functions.Like(c.Name, like, "\\") || EF.Functions.Like(c.Id, like, "\\"));
        }
        if (filter.Status is { } status) q = q.Where(c => c.Status == status);
        if (filter.Stage is { } stage) q = q.Where(c => c.Stage == stage);
        var total = await q.CountAsync(ct);
        var rows = await q.OrderBy(c => c.NextRunAt == null).ThenBy(c => c.NextRunAt).ThenBy(c => c.Name).ThenBy(c => c.Id)
            .Skip(Math.Max(0, filter.Skip)).Take(Math.Clamp(filter.Take, 1, CampaignFilter.MaxTake)).ToListAsync(ct);
        return new CampaignPage(rows.Select(r => new CampaignSummary(r.Id, r.Name, r.Owner, r.Status, r.Stage, r.NextRunAt, r.Version, r.UpdatedAt,
            CampaignJson.Read(r.Json))).ToList(), total);
    }

    public async Task<Campaign?> GetAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var json = await db.Set<StoredCampaign>().AsNoTracking().Where(c => c.Id == id).Select(c => c.Json).FirstOrDefaultAsync(ct);
        return json is null ? null : CampaignJson.Read(json);
    }

    public async Task<CampaignContext> ContextAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ContextAsync(db, ct);
    }

    private static async Task<CampaignContext> ContextAsync(WorkbenchDbContext db, CancellationToken ct)
    {
        var plays = await db.Set<StoredPlay>().AsNoTracking().Select(p => new { p.Id, p.Status }).ToDictionaryAsync(p => p.Id, p => p.Status, StringComparer.Ordinal, ct);
        var segments = (await db.Set<Segment>().AsNoTracking().Select(s => s.Id).ToListAsync(ct)).ToHashSet();
        return new CampaignContext(plays, segments);
    }

    // A new campaign starts as a draft; an empty id is made from the name; an empty owner is the user.
    public async Task<CampaignSaveResult> CreateAsync(Campaign campaign, string user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var id = string.IsNullOrWhiteSpace(campaign.Id) ? await NewIdAsync(db, StarterLibrary.Slug(campaign.Name ?? "") is { Length: > 0 } s ? s : "campaign", ct) : campaign.Id.Trim();
        campaign = Normalised(campaign with { Id = id, Version = 1, Owner = string.IsNullOrWhiteSpace(campaign.Owner) ? user : campaign.Owner.Trim() });
        if (campaign.Status != CampaignStatus.Draft)
            return Refused(new ValidationMessage(Severity.Error, "status", $"a new campaign starts as a draft, not {Name(campaign.Status)}; schedule it with a later save"));
        var messages = CampaignValidator.Check(campaign, await ContextAsync(db, ct));
        if (messages.Where(m => m.Severity == Severity.Error).ToList() is { Count: > 0 } errors) return Refused(errors);
        if (await db.Set<StoredCampaign>().AnyAsync(c => c.Id == id, ct))
            return Refused(new ValidationMessage(Severity.Error, "id", $"a campaign with id '{id}' exists already; choose another id or leave it empty"));

        var now = clock.GetUtcNow().UtcDateTime;
        var json = CampaignJson.Serialize(campaign);
        db.Add(new StoredCampaign
        {
            Id = id, Name = campaign.Name, Owner = campaign.Owner, Status = campaign.Status, Stage = campaign.Stage, NextRunAt = NextRun(campaign, now),
            Version = 1, UpdatedAt = now, UpdatedBy = user, Json = json,
        });
        db.Add(new StoredCampaignVersion { CampaignId = id, Version = 1, ChangedAt = now, ChangedBy = user, Summary = "created", Json = json });
        db.AuditEntries.Add(audit.Entry(user, AuditActions.Create, AuditEntities.Campaign, id,
            [new FieldChange("name", null, campaign.Name), new FieldChange("status", null, Name(campaign.Status))]));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Refused(new ValidationMessage(Severity.Error, "id", $"a campaign with id '{id}' was created meanwhile; choose another id or leave it empty"));
        }
        return new CampaignSaveResult(campaign, messages);
    }

    public async Task<CampaignSaveResult> UpdateAsync(Campaign campaign, int expectedVersion, string user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.Set<StoredCampaign>().FirstOrDefaultAsync(c => c.Id == campaign.Id, ct);
        if (stored is null) return Refused(new ValidationMessage(Severity.Error, "id", $"there is no campaign '{campaign.Id}'"));
        if (stored.Version != expectedVersion) return new CampaignSaveResult(null, [], true, stored.Version);
        var before = CampaignJson.Read(stored.Json);
        campaign = Normalised(campaign with { Version = stored.Version, Owner = string.IsNullOrWhiteSpace(campaign.Owner) ? before.Owner : campaign.Owner.Trim() });
        if (!CampaignStatusRules.MayMove(before.Status, campaign.Status))
        {
            var next = CampaignStatusRules.Next(before.Status);
            return Refused(new ValidationMessage(Severity.Error, "status", $"a {Name(before.Status)} campaign cannot become {Name(campaign.Status)}; it moves to " +
                (next.Count == 0 ? "nothing (a finished campaign stays finished; copy it to run again)" : string.Join(" or ", next.Select(Name)))));
        }
        var messages = CampaignValidator.Check(campaign, await ContextAsync(db, ct));
        if (messages.Where(m => m.Severity == Severity.Error).ToList() is { Count: > 0 } errors) return Refused(errors);
        if (CampaignJson.Serialize(campaign) == stored.Json) return new CampaignSaveResult(before, messages);

        var saved = campaign with { Version = stored.Version + 1 };
        var now = clock.GetUtcNow().UtcDateTime;
        var changes = Changes(before, saved);
        var json = CampaignJson.Serialize(saved);
        (stored.Name, stored.Owner, stored.Status, stored.Stage, stored.NextRunAt) = (saved.Name, saved.Owner, saved.Status, saved.Stage, NextRun(saved, now));
        (stored.Version, stored.UpdatedAt, stored.UpdatedBy, stored.Json) = (saved.Version, now, user, json);
        db.Add(new StoredCampaignVersion
        {
            CampaignId = saved.Id, Version = saved.Version, ChangedAt = now, ChangedBy = user, Json = json,
            Summary = changes.Count == 0 ? "saved" : string.Join("; ", changes.Select(c => c.Field)),
        });
        db.AuditEntries.Add(audit.Entry(user, AuditActions.Update, AuditEntities.Campaign, saved.Id, changes));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            return new CampaignSaveResult(null, [], true, await again.Set<StoredCampaign>().Where(c => c.Id == saved.Id).Select(c => (int?)c.Version).FirstOrDefaultAsync(ct));
        }
        return new CampaignSaveResult(saved, messages);
    }

    public async Task<IReadOnlyList<CampaignVersionEntry>> HistoryAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<StoredCampaignVersion>().AsNoTracking().Where(v => v.CampaignId == id).OrderByDescending(v => v.Version)
            .Select(v => new CampaignVersionEntry(v.Version, v.ChangedBy, v.ChangedAt, v.Summary, v.Json)).ToListAsync(ct);
    }

    // The next run after now while scheduled; none for a draft, a paused or a finished campaign.
    public static DateTime? NextRun(Campaign c, DateTime now) => c.Status == CampaignStatus.Scheduled ? CampaignSchedules.Next(c.Schedule, now) : null;

    private static Campaign Normalised(Campaign c) => c with
    {
        Name = c.Name?.Trim() ?? "", Description = c.Description?.Trim() ?? "",
        PlayIds = c.PlayIds ?? [], SegmentIds = c.SegmentIds ?? [], Channels = c.Channels ?? [], Variants = c.Variants ?? [],
        Schedule = c.Schedule ?? new CampaignSchedule(ScheduleKind.OneOff),
    };

    private static List<FieldChange> Changes(Campaign before, Campaign after)
    {
        var changes = new List<FieldChange>();
        void Field(string name, string from, string to)
        {
            if (from != to) changes.Add(new FieldChange(name, from, to));
        }
        Field("name", before.Name, after.Name);
        Field("description", before.Description, after.Description);
        Field("owner", before.Owner, after.Owner);
        Field("status", Name(before.Status), Name(after.Status));
        Field("stage", Name(before.Stage), Name(after.Stage));
        Field("playIds", string.Join(", ", before.PlayIds), string.Join(", ", after.PlayIds));
        Field("segmentIds", string.Join(", ", before.SegmentIds), string.Join(", ", after.SegmentIds));
        Field("channels", string.Join(", ", before.Channels), string.Join(", ", after.Channels));
        Field("schedule", System.Text.Json.JsonSerializer.Serialize(before.Schedule, CampaignJson.Options).ReplaceLineEndings(" "),
            System.Text.Json.JsonSerializer.Serialize(after.Schedule, CampaignJson.Options).ReplaceLineEndings(" "));
        Field("controlPercent", before.ControlPercent.ToString(System.Globalization.CultureInfo.InvariantCulture), after.ControlPercent.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field("variants", string.Join(", ", before.Variants.Select(V)), string.Join(", ", after.Variants.Select(V)));
        Field("handling", Name(before.Handling), Name(after.Handling));
        return changes;
    }

    private static string V(CampaignVariant v) => $"{v.Name}:{v.Share.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    private static string Name<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static async Task<string> NewIdAsync(WorkbenchDbContext db, string stem, CancellationToken ct)
    {
        stem = StoreIds.Stem(stem, CampaignValidator.MaxIdLength);
        if (CampaignValidator.ReservedIds.Contains(stem, StringComparer.OrdinalIgnoreCase)) stem += "-campaign";
        return StoreIds.Unique(stem, (await db.Set<StoredCampaign>().AsNoTracking().Where(c => c.Id == stem || c.Id.StartsWith(stem + "-"))
            .Select(c => c.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal));
    }

    private static CampaignSaveResult Refused(params ValidationMessage[] problems) => new(null, problems);

    private static CampaignSaveResult Refused(IReadOnlyList<ValidationMessage> problems) => new(null, problems);
}
