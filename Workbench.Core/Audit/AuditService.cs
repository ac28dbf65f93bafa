using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Workbench.Core.Csv;
using Workbench.Core.Data;

namespace Workbench.Core.Audit;

public sealed record FieldChange(string Field, string? From, string? To);

public sealed record AuditFilter(string? UserName = null, string? EntityType = null, DateTime? From = null, DateTime? To = null);

// Count: how many times this happened (reads of one customer's personal data by one user are kept per hour).
public sealed record AuditItem(long Id, DateTime At, string UserName, string Action, string EntityType, string? EntityId,
    IReadOnlyList<FieldChange> Changes, int Count = 1);

public sealed record AuditPage(IReadOnlyList<AuditItem> Items, int Total);

public sealed class AuditService(IDbContextFactory<WorkbenchDbContext> dbFactory, TimeProvider clock, StoreLocation store)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task RecordAsync(string userName, string action, string entityType, string? entityId,
        IReadOnlyList<FieldChange>? changes = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.AuditEntries.Add(Entry(userName, action, entityType, entityId, changes));
        await db.SaveChangesAsync(ct);
    }

    // An entry for the caller to add to its own context, so it commits with the change it records (or not at all).
    public AuditEntry Entry(string userName, string action, string entityType, string? entityId, IReadOnlyList<FieldChange>? changes = null) => new()
    {
        At = clock.GetUtcNow().UtcDateTime,
        UserName = userName,
        Action = action,
        EntityType = entityType,
        EntityId = entityId,
        Changes = changes is { Count: > 0 } ? JsonSerializer.Serialize(changes, Json) : null,
    };

    // Opening a customer's personal data is itself recorded (who looked at whom, when): one entry per user, customer
    // and hour, counting the reads, so a script reading in a loop adds one row an hour instead of one a request.
    // Calls at once share one write (a group commit): the first caller writes every read waiting at that moment in one
    // transaction while later callers queue for the next, so concurrent reads do not each wait their turn for the
    // store's write lock. Every caller returns only once its read is recorded (or with the write's error), as before.
    public Task RecordPersonalDataAccessAsync(string userName, string customerId, CancellationToken ct = default)
    {
        var read = new PendingRead(userName, customerId, clock.GetUtcNow().UtcDateTime);
        lock (_readsGate)
        {
            _waitingReads.Add(read);
            _readWriter ??= Task.Run(WriteReadsAsync, CancellationToken.None);
        }
        return read.Recorded.Task.WaitAsync(ct);
    }

    private sealed record PendingRead(string UserName, string CustomerId, DateTime At)
    {
        public TaskCompletionSource Recorded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Lock _readsGate = new();
    private List<PendingRead> _waitingReads = [];
    private Task? _readWriter;

    private async Task WriteReadsAsync()
    {
        while (true)
        {
            List<PendingRead> batch;
            lock (_readsGate)
            {
                if (_waitingReads.Count == 0)
                {
                    _readWriter = null;
                    return;
                }
                (batch, _waitingReads) = (_waitingReads, []);
            }
            try
            {
                await WriteReadsAsync(batch);
                foreach (var read in batch) read.Recorded.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var read in batch) read.Recorded.TrySetException(e);
            }
        }
    }

    // One row per user, customer and hour: a new row takes the first read's time and the reads' count, an existing one
    // adds the count. The write is never cancelled by one caller: the others wait on it.
    private async Task WriteReadsAsync(IReadOnlyList<PendingRead> batch)
    {
        await using var connection = await StoreSql.OpenAsync(store, CancellationToken.None);
        await using var transaction = await connection.BeginWriteAsync(CancellationToken.None);
        await using var insert = connection.Command("""
            INSERT INTO audit_entries (at, user_name, action, entity_type, entity_id, count, hour)
            VALUES ($at, $user, $action, $entity, $id, $count, $hour)
            ON CONFLICT (user_name, action, entity_type, entity_id, hour) WHERE hour IS NOT NULL DO UPDATE SET count = count + excluded.count
            """, ("$at", ""), ("$user", ""), ("$action", AuditActions.View), ("$entity", AuditEntities.Customer), ("$id", ""), ("$count", 0), ("$hour", ""));
        insert.Transaction = transaction;
        foreach (var group in batch.GroupBy(r => (r.UserName, r.CustomerId, Hour: Hour(r.At))))
        {
            insert.Parameters["$at"].Value = StoreTime.Format(group.Min(r => r.At));
            insert.Parameters["$user"].Value = group.Key.UserName;
            insert.Parameters["$id"].Value = group.Key.CustomerId;
            insert.Parameters["$count"].Value = group.Count();
            insert.Parameters["$hour"].Value = StoreTime.Format(group.Key.Hour);
            await insert.ExecuteNonQueryAsync(CancellationToken.None);
        }
        await transaction.CommitAsync(CancellationToken.None);

        static DateTime Hour(DateTime t) => new(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc);
    }

    // The fields whose values differ between two snapshots of the same thing.
    public static IReadOnlyList<FieldChange> Diff(IReadOnlyDictionary<string, string?> before, IReadOnlyDictionary<string, string?> after)
    {
        var changes = new List<FieldChange>();
        foreach (var field in before.Keys.Union(after.Keys))
        {
            var from = before.GetValueOrDefault(field);
            var to = after.GetValueOrDefault(field);
            if (!string.Equals(from, to, StringComparison.Ordinal)) changes.Add(new FieldChange(field, from, to));
        }
        return changes;
    }

    public async Task<AuditPage> QueryAsync(AuditFilter filter, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Apply(db.AuditEntries.AsNoTracking(), filter);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Skip(skip).Take(take).ToListAsync(ct);
        return new AuditPage(rows.Select(ToItem).ToList(), total);
    }

    public async Task<IReadOnlyList<string>> UserNamesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AuditEntries.AsNoTracking().Select(e => e.UserName).Distinct().OrderBy(n => n).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<string>> EntityTypesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AuditEntries.AsNoTracking().Select(e => e.EntityType).Distinct().OrderBy(n => n).ToListAsync(ct);
    }

    // Streams the filtered entries as CSV, one row per changed field (an entry without changes is one row).
    public async Task WriteCsvAsync(AuditFilter filter, TextWriter output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var csv = SafeCsv.CreateWriter(output);
        foreach (var header in new[] { "at", "user", "action", "entity", "entity_id", "count", "field", "from", "to" }) csv.WriteField(header);
        await csv.NextRecordAsync();
        var query = Apply(db.AuditEntries.AsNoTracking(), filter).OrderBy(e => e.At).ThenBy(e => e.Id);
        await foreach (var entry in query.AsAsyncEnumerable().WithCancellation(ct))
        {
            var item = ToItem(entry);
            IEnumerable<FieldChange?> changes = item.Changes.Count == 0 ? new FieldChange?[] { null } : item.Changes.Cast<FieldChange?>();
            foreach (var change in changes)
            {
                csv.WriteField(item.At.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                csv.WriteSafeField(item.UserName);
                csv.WriteSafeField(item.Action);
                csv.WriteSafeField(item.EntityType);
                csv.WriteSafeField(item.EntityId);
                csv.WriteField(item.Count.ToString(CultureInfo.InvariantCulture));
                csv.WriteSafeField(change?.Field);
                csv.WriteSafeField(change?.From);
                csv.WriteSafeField(change?.To);
                await csv.NextRecordAsync();
            }
        }
        await csv.FlushAsync();
        await output.FlushAsync(ct);
    }

    private static IQueryable<AuditEntry> Apply(IQueryable<AuditEntry> query, AuditFilter filter)
    {
        if (!string.IsNullOrWhiteSpace(filter.UserName)) query = query.Where(e => e.UserName == filter.UserName);
        if (!string.IsNullOrWhiteSpace(filter.EntityType)) query = query.Where(e => e.EntityType == filter.EntityType);
        if (filter.From is { } from) query = query.Where(e => e.At >= from);
        if (filter.To is { } to) query = query.Where(e => e.At < to);
        return query;
    }

    private static AuditItem ToItem(AuditEntry e) => new(e.Id, DateTime.SpecifyKind(e.At, DateTimeKind.Utc), e.UserName, e.Action,
        e.EntityType, e.EntityId,
        e.Changes is null ? [] : JsonSerializer.Deserialize<List<FieldChange>>(e.Changes, Json) ?? [], e.Count);
}
