using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Workbench.Core.Audit;
using Workbench.Core.Data;
using Workbench.Core.Segments;

namespace Workbench.Core.Playbook;

// The playbook in the store: use cases and plays (the play as PlaybookJson plus the columns the library filters on),
// a version row and an audit entry with every save, optimistic concurrency on the version, and JSON import/export.
// A context per call. Rules: a new play starts as draft; status moves follow PlayStatusRules; a play with validation
// errors may be saved as draft, in review or retired, never as active; the id, name, owner and use case must always
// be right (they are the library's columns).
public sealed partial class PlaybookStore(IDbContextFactory<WorkbenchDbContext> dbFactory, AuditService audit, TimeProvider clock)
{
    public const int MaxIdLength = 100;
    public const int MaxNameLength = 200;
    public const int MaxPlayJsonChars = 1_000_000;
    public const long MaxImportBytes = 64L * 1024 * 1024;

    private static readonly HashSet<string> AlwaysBlocking = ["id", "name", "owner", "useCaseId", "version"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex IdPattern();

    public async Task<PlayPage> ListAsync(PlayFilter filter, CancellationToken ct)
    {
        if (filter.Refusal() is { } refusal) throw new ArgumentOutOfRangeException(nameof(filter), refusal);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Set<StoredPlay>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = "%" + EscapeLike(filter.Search.Trim()) + "%";
            query = query.Where(p => EF.Functions.Like(p.Name, pattern, "\\") || EF.Functions.Like(p.Id, pattern, "\\"));
        }
        if (!string.IsNullOrEmpty(filter.UseCaseId)) query = query.Where(p => p.UseCaseId == filter.UseCaseId);
        if (filter.Objective is { } objective)
            query = query.Where(p => db.Set<StoredUseCase>().Any(u => u.Id == p.UseCaseId && u.Objective == objective));
        if (!string.IsNullOrEmpty(filter.TriggerKind)) query = query.Where(p => p.TriggerKind == filter.TriggerKind);
        if (!string.IsNullOrEmpty(filter.Channel))
            query = query.Where(p => db.Set<PlayChannel>().Any(c => c.PlayId == p.Id && c.Channel == filter.Channel));
        if (filter.Status is { } status) query = query.Where(p => p.Status == status);
        if (filter.SegmentId is { } segment)
            query = query.Where(p => db.Set<PlaySegment>().Any(s => s.PlayId == p.Id && s.SegmentId == segment));
        if (!string.IsNullOrEmpty(filter.Owner)) query = query.Where(p => p.Owner == filter.Owner);

        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(p => EF.Functions.Collate(p.Name, "NOCASE")).ThenBy(p => p.Id).Skip(filter.Skip).Take(filter.Take)
            .Select(p => new { p.Id, p.Name, p.UseCaseId, p.TriggerKind, p.Status, p.Owner, p.Version, p.UpdatedAt })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var useCaseIds = rows.Select(r => r.UseCaseId).Distinct().ToList();
        var channels = (await db.Set<PlayChannel>().AsNoTracking().Where(c => ids.Contains(c.PlayId)).ToListAsync(ct))
            .ToLookup(c => c.PlayId);
        var segments = (await db.Set<PlaySegment>().AsNoTracking().Where(s => ids.Contains(s.PlayId)).ToListAsync(ct))
            .ToLookup(s => s.PlayId);
        var objectives = await db.Set<StoredUseCase>().AsNoTracking().Where(u => useCaseIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.Objective, ct);
        var items = rows.Select(r => new PlaySummary(r.Id, r.Name, r.UseCaseId,
            objectives.TryGetValue(r.UseCaseId, out var o) ? o : (Objective?)null, r.TriggerKind,
            channels[r.Id].OrderBy(c => c.Position).Select(c => c.Channel).ToList(), r.Status, r.Owner, r.Version,
            DateTime.SpecifyKind(r.UpdatedAt, DateTimeKind.Utc), segments[r.Id].Select(s => s.SegmentId).Order().ToList())).ToList();
        return new PlayPage(items, total);
    }

    public async Task<Play?> GetAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var json = await db.Set<StoredPlay>().AsNoTracking().Where(p => p.Id == id).Select(p => p.Json).FirstOrDefaultAsync(ct);
        return json is null ? null : PlaybookJson.ReadPlay(json);
    }

    // Every play of the given status, whole (the decision engine and the customer's plays read them all). Kept read
    // while the playbook's stamp stays: plays are never deleted and every save raises a version, so the number of
    // plays and the sum of their versions change with every write, from this process or another.
    public async Task<IReadOnlyList<Play>> PlaysAsync(PlayStatus status, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        return await PlaysAsync(db, status, await StampAsync(db.Database.GetDbConnection(), ct), ct);
    }

    // The same on a connection the caller holds open (a real-time decision reads the stamp beside the customer's
    // snapshot, one statement instead of a context); the plays are read again only when it moved.
    public async Task<IReadOnlyList<Play>> PlaysAsync(PlayStatus status, DbConnection connection, CancellationToken ct)
    {
        var stamp = await StampAsync(connection, ct);
        if (_read is { } read && read.Status == status && read.Stamp == stamp) return read.Plays;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await PlaysAsync(db, status, stamp, ct);
    }

    private static async Task<(int Count, long Versions)> StampAsync(DbConnection connection, CancellationToken ct)
    {
        await using var cmd = connection.Command("SELECT COUNT(*), COALESCE(SUM(version), 0) FROM plays");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return ((int)r.GetInt64(0), r.GetInt64(1));
    }

    private async Task<IReadOnlyList<Play>> PlaysAsync(WorkbenchDbContext db, PlayStatus status, (int Count, long Versions) stamp, CancellationToken ct)
    {
        if (_read is { } read && read.Status == status && read.Stamp == stamp) return read.Plays;
        var rows = await db.Set<StoredPlay>().AsNoTracking().Where(p => p.Status == status)
            .OrderBy(p => p.Position).ThenBy(p => p.Id).Select(p => p.Json).ToListAsync(ct);
        var plays = rows.Select(PlaybookJson.ReadPlay).ToList().AsReadOnly();
        _read = new ReadPlays(status, stamp, plays);
        return plays;
    }

    private sealed record ReadPlays(PlayStatus Status, (int Count, long Versions) Stamp, IReadOnlyList<Play> Plays);

    private volatile ReadPlays? _read;

    // The objective of every use case by id, on a connection the caller holds open (a real-time decision).
    public static async Task<IReadOnlyDictionary<string, Objective>> ObjectivesAsync(DbConnection connection, CancellationToken ct)
    {
        var objectives = new Dictionary<string, Objective>(StringComparer.Ordinal);
        await using var cmd = connection.Command("SELECT id, objective FROM use_cases");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) objectives[r.GetString(0)] = Enum.Parse<Objective>(r.GetString(1));
        return objectives;
    }

    public async Task<IReadOnlyList<UseCase>> UseCasesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<StoredUseCase>().AsNoTracking().OrderBy(u => u.Position).ThenBy(u => u.Id).ToListAsync(ct);
        return rows.Select(ToUseCase).ToList();
    }

    public async Task<PlayValidationContext> ValidationContextAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ContextAsync(db, [], ct);
    }

    public Task<PlaySaveResult> CreateAsync(Play play, string user, CancellationToken ct) => CreateAsync(play, user, "created", ct);

    private async Task<PlaySaveResult> CreateAsync(Play play, string user, string summary, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var id = string.IsNullOrWhiteSpace(play.Id) ? await NewIdAsync(db, StarterLibrary.Slug(play.Name ?? "") is { Length: > 0 } s ? s : "play", ct) : play.Id.Trim();
        play = play with { Id = id, Version = 1, Owner = string.IsNullOrWhiteSpace(play.Owner) ? user : play.Owner.Trim() };
        if (play.Status != PlayStatus.Draft)
            return Refused(new ValidationMessage(Severity.Error, "status",
                $"a new play starts as draft, not {Json(play.Status)}; submit it for review (in_review) and activate it with later saves"));
        var messages = Check(play, await ContextAsync(db, [], ct));
        if (Blocking(play, messages) is { Count: > 0 } blocking) return Refused(blocking);
        if (await db.Set<StoredPlay>().AnyAsync(p => p.Id == id, ct))
            return Refused(new ValidationMessage(Severity.Error, "id", $"a play with id '{id}' exists already; choose another id or leave it empty"));

        var now = clock.GetUtcNow().UtcDateTime;
        var position = (await db.Set<StoredPlay>().MaxAsync(p => (int?)p.Position, ct) ?? 0) + 1;
        var row = Add(db, play, user, now, position);
        db.Add(NewVersion(play, user, now, summary, row.Json));
        db.AuditEntries.Add(audit.Entry(user, AuditActions.Create, AuditEntities.Play, id, CreatedFields(play)));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            if (!await ExistsAsync(id, ct)) throw;
            return Refused(new ValidationMessage(Severity.Error, "id", $"a play with id '{id}' was created meanwhile; choose another id or leave it empty"));
        }
        return new PlaySaveResult(play, messages);
    }

    public async Task<PlaySaveResult> UpdateAsync(Play play, int expectedVersion, string user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.Set<StoredPlay>().FirstOrDefaultAsync(p => p.Id == play.Id, ct);
        if (stored is null) return Refused(new ValidationMessage(Severity.Error, "id", $"there is no play '{play.Id}'; it may have been deleted"));
        if (stored.Version != expectedVersion) return new PlaySaveResult(null, [], true, stored.Version);
        var before = PlaybookJson.ReadPlay(stored.Json);
        play = play with { Version = stored.Version, Owner = string.IsNullOrWhiteSpace(play.Owner) ? before.Owner : play.Owner.Trim() };
        if (!PlayStatusRules.MayMove(before.Status, play.Status))
        {
            var next = PlayStatusRules.Next(before.Status);
            return Refused(new ValidationMessage(Severity.Error, "status",
                $"a {Json(before.Status)} play cannot become {Json(play.Status)}; from {Json(before.Status)} it moves to " +
                (next.Count == 0 ? "nothing (a retired play stays retired; clone it to start again)" : string.Join(" or ", next.Select(s => Json(s))))));
        }
        var messages = Check(play, await ContextAsync(db, [], ct));
        if (Blocking(play, messages) is { Count: > 0 } blocking) return Refused(blocking);
        if (PlaybookJson.Serialize(play) == stored.Json) return new PlaySaveResult(before, messages);

        var saved = play with { Version = stored.Version + 1 };
        var now = clock.GetUtcNow().UtcDateTime;
        var (summary, changes) = Describe(before, saved);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ReplaceListsAsync(db, [saved.Id], ct);
        Apply(db, stored, saved, user, now);
        db.Add(NewVersion(saved, user, now, summary, stored.Json));
        db.AuditEntries.Add(audit.Entry(user, AuditActions.Update, AuditEntities.Play, saved.Id, changes));
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new PlaySaveResult(null, [], true, await CurrentVersionAsync(saved.Id, ct));
        }
        return new PlaySaveResult(saved, messages);
    }

    public async Task<PlaySaveResult> CloneAsync(string id, string user, CancellationToken ct)
    {
        if (await GetAsync(id, ct) is not { } source)
            return Refused(new ValidationMessage(Severity.Error, "id", $"there is no play '{id}' to copy"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var copyId = await NewIdAsync(db, Truncate(source.Id, MaxIdLength - 12) + "-copy", ct);
        var copy = source with { Id = copyId, Name = Truncate("Copy of " + source.Name, MaxNameLength), Status = PlayStatus.Draft, Owner = user };
        return await CreateAsync(copy, user, $"copied from {source.Id} version {source.Version}", ct);
    }

    public async Task<IReadOnlyList<PlayVersionEntry>> HistoryAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<PlayVersion>().AsNoTracking().Where(v => v.PlayId == id).OrderByDescending(v => v.Version).ToListAsync(ct);
        return rows.Select(v => new PlayVersionEntry(v.Version, v.ChangedBy, DateTime.SpecifyKind(v.ChangedAt, DateTimeKind.Utc), v.Summary, v.Json)).ToList();
    }

    // Every use case and play, in the order they were added (a file's own order for what came from a file).
    public async Task<PlaybookFile> ExportAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var useCases = await db.Set<StoredUseCase>().AsNoTracking().OrderBy(u => u.Position).ThenBy(u => u.Id).ToListAsync(ct);
        var plays = await db.Set<StoredPlay>().AsNoTracking().OrderBy(p => p.Position).ThenBy(p => p.Id).Select(p => p.Json).ToListAsync(ct);
        return new PlaybookFile(PlaybookFile.CurrentFormat, useCases.Select(ToUseCase).ToList(), plays.Select(PlaybookJson.ReadPlay).ToList());
    }

    public async Task<PlaybookImportResult> ImportAsync(Stream json, string fileName, string user, CancellationToken ct)
    {
        if (json.CanSeek && json.Length > MaxImportBytes)
            return Failed($"{fileName}: the file is {json.Length:N0} bytes; a playbook file is at most {MaxImportBytes:N0} bytes");
        var text = new StringBuilder();
        using (var reader = new StreamReader(json, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true))
        {
            var buffer = new char[81920];
            int n;
            while ((n = await reader.ReadAsync(buffer, ct)) > 0)
            {
                text.Append(buffer, 0, n);
                if (text.Length > MaxImportBytes) return Failed($"{fileName}: a playbook file is at most {MaxImportBytes:N0} bytes");
            }
        }
        var content = text.ToString();
        var parsed = PlaybookJson.Import(content);
        if (!parsed.IsValid) return Failed(parsed.Problems.Select(p => $"{fileName}: {p}").ToArray());
        return await ImportAsync(parsed.File!, fileName, user, PlaybookJson.PlayPlaces(content), ct);
    }

    public async Task<bool> IsEmptyAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return !await db.Set<StoredUseCase>().AnyAsync(ct) && !await db.Set<StoredPlay>().AnyAsync(ct);
    }

    // The starter library (or any playbook file already read) into an empty playbook; null when it holds anything.
    public async Task<PlaybookImportResult?> SeedAsync(PlaybookFile file, string user, CancellationToken ct) =>
        await IsEmptyAsync(ct) ? await ImportAsync(file, "starter library", user, [], ct) : null;

    private async Task<PlaybookImportResult> ImportAsync(PlaybookFile file, string source, string user,
        IReadOnlyList<(int Line, int Position)> places, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var problems = new List<string>();
        foreach (var dup in file.UseCases.GroupBy(u => u.Id).Where(g => g.Count() > 1))
            problems.Add($"{source}: use case id '{dup.Key}' appears {dup.Count()} times; ids must be unique");
        for (var i = 0; i < file.UseCases.Count; i++)
        {
            var u = file.UseCases[i];
            if (string.IsNullOrWhiteSpace(u.Id) || u.Id.Length > MaxIdLength || !IdPattern().IsMatch(u.Id))
                problems.Add($"{source}: $.useCases[{i}].id: '{u.Id}' is not an id (1 to {MaxIdLength} letters, digits, '-', '_' or '.')");
            if (string.IsNullOrWhiteSpace(u.Name) || u.Name.Length > MaxNameLength)
                problems.Add($"{source}: $.useCases[{i}].name: a use case needs a name of at most {MaxNameLength} characters");
        }
        var context = await ContextAsync(db, file.UseCases.Select(u => u.Id), ct);
        for (var i = 0; i < file.Plays.Count; i++)
        {
            var play = file.Plays[i];
            var where = i < places.Count ? $" (play '{play.Id}' at line {places[i].Line}, position {places[i].Position})" : $" (play '{play.Id}')";
            foreach (var m in Blocking(play, Check(play, context)))
                problems.Add($"{source}: $.plays[{i}].{m.Field}{where}: {(m.Line is null ? "" : $"template line {m.Line}, column {m.Column}: ")}{m.Message}");
        }
        if (problems.Count > 0) return Failed([.. problems]);

        var now = clock.GetUtcNow().UtcDateTime;
        var storedUseCases = await db.Set<StoredUseCase>().ToDictionaryAsync(u => u.Id, ct);
        var storedPlays = await db.Set<StoredPlay>().ToDictionaryAsync(p => p.Id, ct);
        var useCasePosition = storedUseCases.Values.Select(u => u.Position).DefaultIfEmpty(0).Max();
        var playPosition = storedPlays.Values.Select(p => p.Position).DefaultIfEmpty(0).Max();
        var (writtenUseCases, created, replaced) = (new List<string>(), new List<string>(), new List<string>());
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var u in file.UseCases)
        {
            if (storedUseCases.TryGetValue(u.Id, out var row))
            {
                var before = ToUseCase(row);
                if (before == u) continue;
                Copy(u, row);
            }
            else
            {
                row = new StoredUseCase { Id = u.Id, Name = u.Name, JourneyMoment = u.JourneyMoment, Kpi = u.Kpi, Owner = u.Owner, Position = ++useCasePosition };
                Copy(u, row);
                db.Add(row);
            }
            writtenUseCases.Add(u.Id);
        }
        foreach (var incoming in file.Plays)
        {
            if (storedPlays.TryGetValue(incoming.Id, out var row))
            {
                var before = PlaybookJson.ReadPlay(row.Json);
                if (PlaybookJson.Serialize(incoming with { Version = row.Version }) == row.Json) continue;
                var saved = incoming with { Version = row.Version + 1 };
                var (summary, _) = Describe(before, saved);
                replaced.Add(saved.Id);
                db.Add(NewVersion(saved, user, now, $"imported from {source}: {summary}", null));
                Apply(db, row, saved, user, now);
            }
            else
            {
                // A new play keeps the version it had where it came from, so an exported file reads back as it was.
                var play = incoming with { Version = Math.Max(1, incoming.Version) };
                var added = Add(db, play, user, now, ++playPosition);
                db.Add(NewVersion(play, user, now, $"imported from {source}", added.Json));
                created.Add(play.Id);
            }
        }
        await ReplaceListsAsync(db, replaced, ct);
        // One entry for the import, as for a CSV import; each play's version rows say what it brought.
        db.AuditEntries.Add(audit.Entry(user, AuditActions.Import, AuditEntities.Playbook, source,
        [
            new FieldChange("use_cases", null, Cut(string.Join(", ", writtenUseCases), 0)),
            new FieldChange("plays_created", null, Cut(string.Join(", ", created), 0)),
            new FieldChange("plays_updated", null, Cut(string.Join(", ", replaced), 0)),
        ]));
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Failed($"{source}: plays or use cases changed while importing; nothing was imported. Import the file again.");
        }
        return new PlaybookImportResult(writtenUseCases.Count, created.Count, replaced.Count, []);
    }

    private static PlaybookImportResult Failed(params string[] problems) => new(0, 0, 0, problems);

    private static PlaySaveResult Refused(params ValidationMessage[] problems) => new(null, problems);

    private static PlaySaveResult Refused(IReadOnlyList<ValidationMessage> problems) => new(null, problems);

    // The validator's messages and the store's own limits (the library's columns).
    private static List<ValidationMessage> Check(Play play, PlayValidationContext context)
    {
        var messages = new List<ValidationMessage>();
        if (play.Id is { Length: > 0 } id && (id.Length > MaxIdLength || !IdPattern().IsMatch(id)))
            messages.Add(new(Severity.Error, "id", $"'{Truncate(id, 40)}' is not an id: 1 to {MaxIdLength} letters, digits, '-', '_' or '.', starting with a letter or digit"));
        if (play.Name is { Length: > MaxNameLength })
            messages.Add(new(Severity.Error, "name", $"the name is longer than {MaxNameLength} characters"));
        if (play.Trigger is null || play.Audience is null || play.Offer is null || play.Content is null || play.Channels is null)
        {
            messages.Add(new(Severity.Error, "version", "a play needs a trigger, an audience, an offer, content and channels"));
            return messages;
        }
        if (PlaybookJson.Serialize(play).Length > MaxPlayJsonChars)
            messages.Add(new(Severity.Error, "version", $"the play is longer than {MaxPlayJsonChars:N0} characters as JSON"));
        messages.AddRange(PlayValidator.Validate(play, context));
        return messages;
    }

    private static List<ValidationMessage> Blocking(Play play, List<ValidationMessage> messages) => messages
        .Where(m => m.Severity == Severity.Error && (play.Status == PlayStatus.Active || AlwaysBlocking.Contains(m.Field)))
        .ToList();

    private static async Task<PlayValidationContext> ContextAsync(WorkbenchDbContext db, IEnumerable<string> moreUseCases, CancellationToken ct)
    {
        var segments = await db.Set<Segment>().AsNoTracking().Select(s => s.Id).ToListAsync(ct);
        var useCases = await db.Set<StoredUseCase>().AsNoTracking().Select(u => u.Id).ToListAsync(ct);
        return new PlayValidationContext(segments.ToHashSet(), useCases.Concat(moreUseCases).ToHashSet(StringComparer.Ordinal));
    }

    private static StoredPlay Add(WorkbenchDbContext db, Play play, string user, DateTime now, int position)
    {
        var row = new StoredPlay
        {
            Id = play.Id, Name = play.Name, UseCaseId = play.UseCaseId, Owner = play.Owner, TriggerKind = PlayTriggers.KindOf(play.Trigger),
            UpdatedBy = user, Json = "", Position = position,
        };
        db.Add(row);
        Apply(db, row, play, user, now);
        return row;
    }

    private static void Apply(WorkbenchDbContext db, StoredPlay row, Play play, string user, DateTime now)
    {
        row.Name = play.Name;
        row.UseCaseId = play.UseCaseId;
        row.Owner = play.Owner;
        row.Status = play.Status;
        row.TriggerKind = PlayTriggers.KindOf(play.Trigger);
        row.Version = play.Version;
        row.UpdatedAt = now;
        row.UpdatedBy = user;
        row.Json = PlaybookJson.Serialize(play);
        var position = 0;
        foreach (var channel in play.Channels.Distinct(StringComparer.Ordinal))
            db.Add(new PlayChannel { PlayId = play.Id, Channel = channel, Position = position++ });
        foreach (var segment in play.Audience.SegmentIds.Distinct())
            db.Add(new PlaySegment { PlayId = play.Id, SegmentId = segment });
    }

    private static async Task ReplaceListsAsync(WorkbenchDbContext db, List<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        await db.Set<PlayChannel>().Where(c => ids.Contains(c.PlayId)).ExecuteDeleteAsync(ct);
        await db.Set<PlaySegment>().Where(s => ids.Contains(s.PlayId)).ExecuteDeleteAsync(ct);
    }

    private static PlayVersion NewVersion(Play play, string user, DateTime now, string summary, string? json) => new()
    {
        PlayId = play.Id, Version = play.Version, ChangedBy = user, ChangedAt = now, Summary = summary, Json = json ?? PlaybookJson.Serialize(play),
    };

    private static async Task<string> NewIdAsync(WorkbenchDbContext db, string stem, CancellationToken ct)
    {
        stem = StoreIds.Stem(stem, MaxIdLength);
        return StoreIds.Unique(stem, (await db.Set<StoredPlay>().AsNoTracking().Where(p => p.Id == stem || p.Id.StartsWith(stem + "-"))
            .Select(p => p.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal));
    }

    private async Task<bool> ExistsAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<StoredPlay>().AnyAsync(p => p.Id == id, ct);
    }

    private async Task<int?> CurrentVersionAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<StoredPlay>().AsNoTracking().Where(p => p.Id == id).Select(p => (int?)p.Version).FirstOrDefaultAsync(ct);
    }

    // A one-line account of what changed, and per changed part its JSON before and after (long parts cut, the whole
    // play is in its version row).
    private static (string Summary, IReadOnlyList<FieldChange> Changes) Describe(Play before, Play after)
    {
        var a = JsonSerializer.SerializeToElement(before, PlaybookJson.Options);
        var b = JsonSerializer.SerializeToElement(after, PlaybookJson.Options);
        var changes = new List<FieldChange>();
        var parts = new List<string>();
        var edited = new List<string>();
        foreach (var property in b.EnumerateObject())
        {
            if (property.Name == "version") continue;
            var from = a.TryGetProperty(property.Name, out var old) ? Compact(old) : null;
            var to = Compact(property.Value);
            if (from == to) continue;
            changes.Add(new FieldChange(property.Name, Cut(from, after.Version), Cut(to, after.Version)));
            if (property.Name == "status") parts.Add($"status {Json(before.Status)} → {Json(after.Status)}");
            else if (property.Name == "name") parts.Add($"renamed '{before.Name}' → '{after.Name}'");
            else edited.Add(property.Name);
        }
        foreach (var property in a.EnumerateObject().Where(p => !b.TryGetProperty(p.Name, out _)))
        {
            changes.Add(new FieldChange(property.Name, Cut(Compact(property.Value), after.Version), null));
            edited.Add(property.Name);
        }
        if (edited.Count > 0) parts.Add(string.Join(", ", edited) + " changed");
        return (parts.Count == 0 ? "saved" : string.Join("; ", parts), changes);
    }

    private static IReadOnlyList<FieldChange> CreatedFields(Play play) =>
    [
        new("name", null, play.Name),
        new("useCaseId", null, play.UseCaseId),
        new("status", null, Json(play.Status)),
        new("version", null, play.Version.ToString(CultureInfo.InvariantCulture)),
    ];

    private static string Compact(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : JsonSerializer.Serialize(e);

    private static string? Cut(string? text, int version) =>
        text is { Length: > 2000 } ? text[..2000] + (version > 0 ? $"… (the whole play is in version {version})" : "…") : text;

    private static string Json<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static UseCase ToUseCase(StoredUseCase u) => new(u.Id, u.Name, u.Objective, u.JourneyMoment, u.Kpi, u.Owner, u.Status);

    private static void Copy(UseCase from, StoredUseCase to)
    {
        to.Name = from.Name;
        to.Objective = from.Objective;
        to.JourneyMoment = from.JourneyMoment;
        to.Kpi = from.Kpi;
        to.Owner = from.Owner;
        to.Status = from.Status;
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
