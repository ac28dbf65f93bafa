using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using System.Data.Common;
using Workbench.Core.Audit;
using Workbench.Core.Csv;
using Workbench.Core.Data;
using Workbench.Core.Import;

namespace Workbench.Core.Privacy;

public sealed record ErasureResult(string AnonymousKey, int ConsentsDeleted, int EventsDeleted, IReadOnlyDictionary<string, int> RowsRekeyed,
    int RejectedRowsRemoved = 0, int UnfinishedImportFilesRemoved = 0, int AuditEntriesUnlinked = 0, long FreePagesOverwritten = 0,
    bool Checkpointed = false);

// Right of access (everything held about one customer, as JSON) and right of erasure.
public sealed class CustomerPrivacyService(AuditService audit, StoreLocation store)
{
    // Tables holding a customer's behaviour or personal choices: deleted on erasure. The loyalty points history goes
    // with the points themselves (a personal column).
    public static readonly IReadOnlyList<string> DeletedTables =
        ["consents", "events", "customer_event_activity", "segment_members", "customer_field_sources", "points_history"];

    // Tables keyed by customer_id whose rows feed aggregate figures: kept, re-keyed to the anonymous key.
    // A new table keyed by customer (contact history, sends, outcomes…) is added here or to DeletedTables.
    // The plays' contact history stays (the contacts a play made are counted), and so does the queue of customers an
    // import touched (their derived rows are recomputed under the new key). A run's outbox keeps its rows (the run's
    // counts and results stay), under the anonymous key.
    public static readonly IReadOnlyList<string> RekeyedTables =
        ["order_lines", "customer_stats", "customer_features", "customer_category_activity", "kpi_customer_months", "contact_history", "touched_customers", "campaign_sends", "campaign_outcomes"];

    // The customers columns that identify a person, alone or in combination (points, time zone and preferred channel
    // single a person out among the few in one region, store and tier). Region, country, home store, signup date and
    // loyalty tier stay: the aggregates by region, store, cohort and tier keep adding up.
    public static readonly IReadOnlyList<string> PersonalColumns =
        ["first_name", "last_name", "email", "phone", "birth_date", "gender", "city", "postal_code", "loyalty_points", "time_zone", "preferred_channel"];

    public const string ErasedPrefix = "ERASED-";

    // Null when the customer is unknown. Every table keyed by the customer is included, row by row, as stored.
    public async Task<string?> ExportAsync(string customerId, string actor, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("customer_id", customerId);
            json.WritePropertyName("customer");
            var found = await WriteRowsAsync(connection, json, "customers", customerId, single: true, ct);
            if (found == 0) return null;
            foreach (var table in DeletedTables.Concat(RekeyedTables))
            {
                json.WritePropertyName(table);
                await WriteRowsAsync(connection, json, table, customerId, single: false, ct);
            }
            json.WriteStartArray("rejected_rows");
            await ForEachRejectedFileAsync(customerId, (header, record) =>
            {
                json.WriteStartObject();
                for (var i = 0; i < header.Length && i < record.Length; i++) json.WriteString(header[i], SafeCsv.Restore(record[i]));
                json.WriteEndObject();
            }, remove: false, ct);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        await audit.RecordPersonalDataAccessAsync(actor, customerId, ct);
        await audit.RecordAsync(actor, AuditActions.Export, AuditEntities.Customer, customerId, null, ct);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    // One transaction on a secure_delete connection: personal columns nulled, consents and events deleted, the key
    // replaced everywhere it is kept (so revenue and counts do not move), earlier audit entries about the customer
    // stripped of the id, and every free page of the file overwritten; then the WAL is checkpointed and truncated, so
    // the erased values are in neither file. Rejected-rows files: the customer's rows are removed, and files no import
    // owns (left by a killed import) are deleted. The audit entry says an erasure happened, by whom and when, with the
    // counts: neither the id nor the anonymous key, which would link the two.
    public async Task<ErasureResult?> EraseAsync(string customerId, string actor, CancellationToken ct = default)
    {
        var anonymousKey = ErasedPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var rekeyed = new Dictionary<string, int>();
        int consents, events, fieldSources, auditEntries;
        long pagesScrubbed;
        bool checkpointed;
        HashSet<string> ownedRejectedFiles;
        await using (var connection = await SecureErase.OpenAsync(store, ct))
        {
            await using (var tx = await connection.BeginTransactionAsync(ct))
            {
                var personal = string.Join(", ", PersonalColumns.Select(c => $"{c} = NULL"));
                if (await ExecAsync(connection, tx, $"UPDATE customers SET {personal}, customer_id = $anon WHERE customer_id = $id", customerId, anonymousKey, ct) == 0)
                {
                    return null;
                }
                var deleted = new Dictionary<string, int>();
                foreach (var table in DeletedTables)
                {
                    deleted[table] = await ExecAsync(connection, tx, $"DELETE FROM {table} WHERE customer_id = $id", customerId, anonymousKey, ct);
                }
                foreach (var table in RekeyedTables)
                {
                    rekeyed[table] = await ExecAsync(connection, tx, $"UPDATE {table} SET customer_id = $anon WHERE customer_id = $id", customerId, anonymousKey, ct);
                }
                auditEntries = await ExecAsync(connection, tx,
                    $"UPDATE audit_entries SET entity_id = NULL WHERE entity_type = '{AuditEntities.Customer}' AND entity_id = $id", customerId, anonymousKey, ct);
                ownedRejectedFiles = await OwnedRejectedFilesAsync(connection, tx, ct);
                pagesScrubbed = await SecureErase.ScrubFreePagesAsync(connection, tx, ct);
                await tx.CommitAsync(ct);
                consents = deleted["consents"];
                events = deleted["events"];
                fieldSources = deleted["customer_field_sources"];
            }
            checkpointed = await SecureErase.CheckpointAsync(connection, ct);
        }
        var orphansRemoved = RemoveOrphanRejectedFiles(ownedRejectedFiles);
        var rejectedRemoved = await ScrubRejectedRowsAsync(customerId, ct);
        var changes = new List<FieldChange>();
        changes.AddRange(PersonalColumns.Select(c => new FieldChange(c, "(erased)", null)));
        changes.Add(new FieldChange("consents", $"{consents} rows", "deleted"));
        changes.Add(new FieldChange("events", $"{events} rows", "deleted"));
        if (fieldSources > 0) changes.Add(new FieldChange("customer_field_sources", $"{fieldSources} rows", "deleted"));
        changes.AddRange(rekeyed.Select(r => new FieldChange(r.Key, $"{r.Value} rows", "kept under an anonymous key")));
        if (auditEntries > 0) changes.Add(new FieldChange("audit_entries", $"{auditEntries} entries", "customer id removed"));
        if (rejectedRemoved > 0) changes.Add(new FieldChange("rejected_rows", $"{rejectedRemoved} rows", "deleted"));
        if (orphansRemoved > 0) changes.Add(new FieldChange("rejected_files_of_unfinished_imports", $"{orphansRemoved} files", "deleted"));
        changes.Add(new FieldChange("store", null, checkpointed ? "free pages overwritten, WAL checkpointed and truncated" : "free pages overwritten; WAL checkpoint pending (readers busy)"));
        await audit.RecordAsync(actor, AuditActions.Erase, AuditEntities.Customer, null, changes, ct);
        return new ErasureResult(anonymousKey, consents, events, rekeyed, rejectedRemoved, orphansRemoved, auditEntries, pagesScrubbed, checkpointed);
    }

    private static async Task<HashSet<string>> OwnedRejectedFilesAsync(DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT rejected_rows_file FROM import_runs WHERE rejected_rows_file IS NOT NULL";
        var files = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) files.Add(Path.GetFileName(reader.GetString(0)));
        return files;
    }

    // A rejected-rows file no import run names was left by an import that never committed (killed, or a scrub's
    // temporary file): nobody can download it, and it may hold anyone's rows. Files newer than a minute are left alone,
    // since an import running now writes its file before its run is committed.
    private int RemoveOrphanRejectedFiles(HashSet<string> owned)
    {
        var directory = ImportService.RejectedDirectory(store);
        if (!Directory.Exists(directory)) return 0;
        var removed = 0;
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            if (owned.Contains(Path.GetFileName(path))) continue;
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < TimeSpan.FromMinutes(1)) continue;
            File.Delete(path);
            removed++;
        }
        return removed;
    }

    // Rejected rows of past imports are kept as CSV files and may hold the customer's row: those rows go too.
    private Task<int> ScrubRejectedRowsAsync(string customerId, CancellationToken ct) =>
        ForEachRejectedFileAsync(customerId, (_, _) => { }, remove: true, ct);

    // Calls found(header, record) for every kept rejected row of the customer; with remove, rewrites each file without them.
    private async Task<int> ForEachRejectedFileAsync(string customerId, Action<string[], string[]> found, bool remove, CancellationToken ct)
    {
        var directory = ImportService.RejectedDirectory(store);
        if (!Directory.Exists(directory)) return 0;
        var total = 0;
        foreach (var path in Directory.EnumerateFiles(directory, "*.csv").Order())
        {
            ct.ThrowIfCancellationRequested();
            var kept = new List<string[]>();
            var matched = 0;
            using (var parser = new CsvParser(new StreamReader(path, Encoding.UTF8), new CsvConfiguration(CultureInfo.InvariantCulture)))
            {
                if (!await parser.ReadAsync()) continue;
                var header = parser.Record!;
                var column = Array.FindIndex(header, h => h.Replace("_", "").Replace(" ", "").Equals("customerid", StringComparison.OrdinalIgnoreCase));
                if (column < 0) continue;
                kept.Add(header);
                while (await parser.ReadAsync())
                {
                    var record = parser.Record!;
                    if (column < record.Length && SafeCsv.Restore(record[column].Trim()) == customerId)
                    {
                        matched++;
                        found(header, record);
                    }
                    else
                    {
                        kept.Add(record);
                    }
                }
            }
            total += matched;
            if (!remove || matched == 0) continue;
            var temporary = path + ".tmp";
            await using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false)))
            await using (var csv = SafeCsv.CreateWriter(writer))
            {
                // Fields are written back exactly as read: they were neutralised when the file was first written.
                foreach (var record in kept)
                {
                    foreach (var field in record) csv.WriteField(field);
                    await csv.NextRecordAsync();
                }
            }
            File.Move(temporary, path, overwrite: true);
        }
        return total;
    }

    private Task<DbConnection> OpenAsync(CancellationToken ct) => StoreSql.OpenAsync(store, ct);

    private static async Task<int> ExecAsync(DbConnection connection, DbTransaction tx, string sql, string id, string anon, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$anon", anon);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<int> WriteRowsAsync(DbConnection connection, Utf8JsonWriter json, string table, string customerId,
        bool single, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {table} WHERE customer_id = $id";
        command.Parameters.AddWithValue("$id", customerId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var count = 0;
        if (!single) json.WriteStartArray();
        while (await reader.ReadAsync(ct))
        {
            count++;
            json.WriteStartObject();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var name = reader.GetName(i);
                switch (reader.IsDBNull(i) ? null : reader.GetValue(i))
                {
                    case null: json.WriteNull(name); break;
                    case long l: json.WriteNumber(name, l); break;
                    case double d: json.WriteNumber(name, d); break;
                    case var v: json.WriteString(name, Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)); break;
                }
            }
            json.WriteEndObject();
            if (single) break;
        }
        if (!single) json.WriteEndArray();
        else if (count == 0) json.WriteNullValue();
        return count;
    }
}
