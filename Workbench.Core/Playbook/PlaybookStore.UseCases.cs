using Microsoft.EntityFrameworkCore;
using Workbench.Core.Data;
using Workbench.Core.Audit;

namespace Workbench.Core.Playbook;

// Saved: the use case as stored now. Problems: what to fix, by field (nothing was written). Conflict: someone saved the
// use case since the editor loaded it; Current is theirs, and nothing was written.
public sealed record UseCaseSaveResult(UseCase? Saved, IReadOnlyList<ValidationMessage> Problems, bool Conflict = false, UseCase? Current = null)
{
    public bool IsSaved => Saved is not null;
}

public sealed partial class PlaybookStore
{
    public const int MaxUseCaseTextLength = 200;

    // Creates a use case (loaded null; an empty id is made from the name) or changes one. loaded: the use case as the
    // editor read it; the save is refused as a conflict when the stored one differs from it (use cases carry no version
    // number, so the whole value is the concurrency check). Its id never changes: plays point to it.
    public async Task<UseCaseSaveResult> SaveUseCaseAsync(UseCase useCase, UseCase? loaded, string user, CancellationToken ct)
    {
        useCase = useCase with
        {
            Id = useCase.Id?.Trim() ?? "", Name = useCase.Name?.Trim() ?? "", JourneyMoment = useCase.JourneyMoment?.Trim() ?? "",
            Kpi = useCase.Kpi?.Trim() ?? "", Owner = string.IsNullOrWhiteSpace(useCase.Owner) ? user : useCase.Owner.Trim(),
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (loaded is null && useCase.Id.Length == 0) useCase = useCase with { Id = await NewUseCaseIdAsync(db, StarterLibrary.Slug(useCase.Name) is { Length: > 0 } s ? s : "use-case", ct) };
        if (CheckUseCase(useCase) is { Count: > 0 } problems) return new UseCaseSaveResult(null, problems);

        var stored = await db.Set<StoredUseCase>().FirstOrDefaultAsync(u => u.Id == useCase.Id, ct);
        if (loaded is null)
        {
            if (stored is not null)
                return new UseCaseSaveResult(null, [new ValidationMessage(Severity.Error, "id", $"a use case with id '{useCase.Id}' exists already; choose another id or leave it empty")]);
            var position = (await db.Set<StoredUseCase>().MaxAsync(u => (int?)u.Position, ct) ?? 0) + 1;
            var row = new StoredUseCase { Id = useCase.Id, Name = useCase.Name, JourneyMoment = useCase.JourneyMoment, Kpi = useCase.Kpi, Owner = useCase.Owner, Position = position };
            Copy(useCase, row);
            db.Add(row);
            db.AuditEntries.Add(audit.Entry(user, AuditActions.Create, AuditEntities.UseCase, useCase.Id, UseCaseChanges(null, useCase)));
        }
        else
        {
            if (useCase.Id != loaded.Id)
                return new UseCaseSaveResult(null, [new ValidationMessage(Severity.Error, "id", $"a use case keeps its id ('{loaded.Id}'): its plays point to it")]);
            if (stored is null)
                return new UseCaseSaveResult(null, [new ValidationMessage(Severity.Error, "id", $"there is no use case '{useCase.Id}'; it may have been removed by an import")]);
            var before = ToUseCase(stored);
            if (before != loaded) return new UseCaseSaveResult(null, [], true, before);
            if (before == useCase) return new UseCaseSaveResult(before, []);
            Copy(useCase, stored);
            db.AuditEntries.Add(audit.Entry(user, AuditActions.Update, AuditEntities.UseCase, useCase.Id, UseCaseChanges(before, useCase)));
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return new UseCaseSaveResult(null, [new ValidationMessage(Severity.Error, "id", $"the use case '{useCase.Id}' was saved meanwhile; load it again")]);
        }
        return new UseCaseSaveResult(useCase, []);
    }

    public static IReadOnlyList<ValidationMessage> CheckUseCase(UseCase u)
    {
        var problems = new List<ValidationMessage>();
        if (u.Id.Length == 0 || u.Id.Length > MaxIdLength || !IdPattern().IsMatch(u.Id))
            problems.Add(new(Severity.Error, "id", $"'{u.Id}' is not an id: 1 to {MaxIdLength} letters, digits, '-', '_' or '.'"));
        if (u.Name.Length == 0 || u.Name.Length > MaxNameLength)
            problems.Add(new(Severity.Error, "name", $"a use case needs a name of at most {MaxNameLength} characters"));
        if (u.JourneyMoment.Length == 0 || u.JourneyMoment.Length > MaxUseCaseTextLength)
            problems.Add(new(Severity.Error, "journeyMoment", $"say when in the journey it applies, in at most {MaxUseCaseTextLength} characters (for example 'lapsing')"));
        if (u.Kpi.Length == 0 || u.Kpi.Length > MaxUseCaseTextLength)
            problems.Add(new(Severity.Error, "kpi", $"name the KPI that judges it, in at most {MaxUseCaseTextLength} characters (for example 'reactivation rate')"));
        if (u.Owner.Length > MaxNameLength)
            problems.Add(new(Severity.Error, "owner", $"an owner of at most {MaxNameLength} characters"));
        if (!Enum.IsDefined(u.Objective)) problems.Add(new(Severity.Error, "objective", "choose one of the objectives"));
        if (!Enum.IsDefined(u.Status)) problems.Add(new(Severity.Error, "status", "choose proposed, active or retired"));
        return problems;
    }

    private static List<FieldChange> UseCaseChanges(UseCase? before, UseCase after)
    {
        var changes = new List<FieldChange>();
        void Field(string name, string? from, string to)
        {
            if (from != to) changes.Add(new FieldChange(name, from, to));
        }
        Field("name", before?.Name, after.Name);
        Field("objective", before is null ? null : Json(before.Objective), Json(after.Objective));
        Field("journey_moment", before?.JourneyMoment, after.JourneyMoment);
        Field("kpi", before?.Kpi, after.Kpi);
        Field("owner", before?.Owner, after.Owner);
        Field("status", before is null ? null : Json(before.Status), Json(after.Status));
        return changes;
    }

    private static async Task<string> NewUseCaseIdAsync(WorkbenchDbContext db, string stem, CancellationToken ct)
    {
        stem = StoreIds.Stem(stem, MaxIdLength);
        return StoreIds.Unique(stem, (await db.Set<StoredUseCase>().AsNoTracking().Where(u => u.Id == stem || u.Id.StartsWith(stem + "-"))
            .Select(u => u.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal));
    }
}
