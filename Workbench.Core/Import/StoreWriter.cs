using System.Text;
using SQLitePCL;

namespace Workbench.Core.Import;

internal enum WriteOutcome { Inserted, Updated, Unchanged, Duplicate }

// Upserts validated rows by natural key through one prepared statement on the raw SQLite handle
// (EF change tracking is far too slow for millions of lines). RETURNING says inserted, updated or unchanged;
// no row back means this import already saw the key: a duplicate inside the file.
internal sealed class StoreWriter : IDisposable
{
    private readonly sqlite3 _db;
    private readonly ImportKind _kind;
    private readonly sqlite3_stmt _upsert;
    private readonly int[] _fieldParameter;
    private readonly int _eventKeyParameter;

    public StoreWriter(sqlite3 db, ImportSchema schema, int[] columnOf, long importId)
    {
        _db = db;
        _kind = schema.Kind;
        var table = TableName(schema.Kind);
        var keyColumns = KeyColumns(schema.Kind);

        var insertColumns = new List<string>();
        var insertValues = new List<string>();
        var updatable = new List<string>();
        _fieldParameter = new int[schema.Fields.Count];
        for (var f = 0; f < schema.Fields.Count; f++)
        {
            var name = schema.Fields[f].Name;
            if (columnOf[f] < 0)
            {
                _fieldParameter[f] = 0;
                // Absent non-nullable columns get their default on insert and are left alone on update.
                if (schema.Kind == ImportKind.Transactions && name == "discount")
                {
                    insertColumns.Add(name);
                    insertValues.Add("0");
                }
                continue;
            }
            insertColumns.Add(name);
            insertValues.Add("$" + name);
            if (!keyColumns.Contains(name)) updatable.Add(name);
        }
        if (schema.Kind == ImportKind.Events)
        {
            insertColumns.Add("event_key");
            insertValues.Add("$event_key");
        }
        insertColumns.AddRange(["import_id", "created_import_id", "seen_import_id", "revision"]);
        insertValues.AddRange(["$import_id", "$import_id", "$import_id", "0"]);

        var sql = new StringBuilder()
            .Append($"INSERT INTO {table} ({string.Join(", ", insertColumns)}) VALUES ({string.Join(", ", insertValues)}) ")
            .Append($"ON CONFLICT ({string.Join(", ", keyColumns)}) DO UPDATE SET ");
        var changed = updatable.Count == 0 ? "0" : "(" + string.Join(" OR ", updatable.Select(c => $"{table}.{c} IS NOT excluded.{c}")) + ")";
        var assignments = updatable.Select(c => $"{c} = excluded.{c}").ToList();
        if (schema.Kind == ImportKind.Consents)
        {
            // A consent log: the latest updated_at wins, older rows are left alone, repeats are history, not duplicates.
            assignments.AddRange(["import_id = excluded.import_id", "seen_import_id = excluded.import_id", $"revision = {table}.revision + 1"]);
            sql.Append(string.Join(", ", assignments))
                .Append($" WHERE excluded.updated_at > {table}.updated_at OR (excluded.updated_at = {table}.updated_at AND {changed})")
                .Append(" RETURNING CASE WHEN revision = 0 THEN 0 ELSE 1 END");
        }
        else
        {
            // Every row this file holds is stamped as seen; a second sighting in the same file is a duplicate.
            assignments.AddRange([
                $"import_id = CASE WHEN {changed} THEN excluded.import_id ELSE {table}.import_id END",
                "seen_import_id = excluded.import_id",
                $"revision = {table}.revision + {changed}",
            ]);
            sql.Append(string.Join(", ", assignments))
                .Append($" WHERE {table}.seen_import_id <> excluded.import_id")
                .Append(" RETURNING CASE WHEN created_import_id = seen_import_id THEN 0 WHEN import_id = seen_import_id THEN 1 ELSE 2 END");
        }

        _upsert = Prepare(sql.ToString());
        for (var f = 0; f < schema.Fields.Count; f++)
        {
            if (columnOf[f] >= 0) _fieldParameter[f] = raw.sqlite3_bind_parameter_index(_upsert, "$" + schema.Fields[f].Name);
        }
        _eventKeyParameter = schema.Kind == ImportKind.Events ? raw.sqlite3_bind_parameter_index(_upsert, "$event_key") : 0;
        Check(raw.sqlite3_bind_int64(_upsert, raw.sqlite3_bind_parameter_index(_upsert, "$import_id"), importId));
    }

    public static string TableName(ImportKind kind) => kind switch
    {
        ImportKind.Customers => "customers",
        ImportKind.Products => "products",
        ImportKind.Transactions => "order_lines",
        ImportKind.Events => "events",
        ImportKind.Consents => "consents",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string[] KeyColumns(ImportKind kind) => kind switch
    {
        ImportKind.Customers => ["customer_id"],
        ImportKind.Products => ["sku"],
        ImportKind.Transactions => ["order_id", "line_no"],
        ImportKind.Events => ["event_key"],
        ImportKind.Consents => ["customer_id", "channel"],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    // The natural key of an event: its event_id, or customer, time, type and sku when the file has none.
    public static string EventKey(string? eventId, string customerId, string occurredAt, string type, string? sku) =>
        eventId is not null ? "id:" + eventId : string.Concat("k:", customerId, "|", occurredAt, "|", type, "|", sku);

    public WriteOutcome Write(BindValue[] values)
    {
        for (var f = 0; f < values.Length; f++)
        {
            var parameter = _fieldParameter[f];
            if (parameter > 0) Bind(_upsert, parameter, values[f]);
        }
        if (_kind == ImportKind.Events)
        {
            var eventKey = EventKey(values[0].Text, values[1].Text!, values[2].Text!, values[3].Text!, values[4].Text);
            Check(raw.sqlite3_bind_text(_upsert, _eventKeyParameter, eventKey));
        }

        try
        {
            var rc = raw.sqlite3_step(_upsert);
            if (rc == raw.SQLITE_DONE)
            {
                return _kind == ImportKind.Consents ? WriteOutcome.Unchanged : WriteOutcome.Duplicate;
            }
            if (rc != raw.SQLITE_ROW) throw Error(rc);
            var outcome = raw.sqlite3_column_int64(_upsert, 0) switch
            {
                0 => WriteOutcome.Inserted,
                1 => WriteOutcome.Updated,
                _ => WriteOutcome.Unchanged,
            };
            Step(_upsert, raw.SQLITE_DONE);
            return outcome;
        }
        finally
        {
            raw.sqlite3_reset(_upsert);
        }
    }

    private void Bind(sqlite3_stmt stmt, int parameter, in BindValue value) =>
        Check(value.Kind switch
        {
            BindKind.Text => raw.sqlite3_bind_text(stmt, parameter, value.Text),
            BindKind.Integer => raw.sqlite3_bind_int64(stmt, parameter, value.Integer),
            BindKind.Real => raw.sqlite3_bind_double(stmt, parameter, value.Real),
            _ => raw.sqlite3_bind_null(stmt, parameter),
        });

    private sqlite3_stmt Prepare(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var stmt);
        if (rc != raw.SQLITE_OK) throw new InvalidOperationException($"{raw.sqlite3_errmsg(_db).utf8_to_string()} in: {sql}");
        return stmt;
    }

    private void Step(sqlite3_stmt stmt, int expected)
    {
        var rc = raw.sqlite3_step(stmt);
        if (rc != expected) throw Error(rc);
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) throw Error(rc);
    }

    private InvalidOperationException Error(int rc) =>
        new($"SQLite error {rc}: {raw.sqlite3_errmsg(_db).utf8_to_string()}");

    public void Dispose()
    {
        _upsert.Dispose();
    }
}
