using Workbench.Core.Data.Store;

namespace Workbench.Core.Import;

internal enum WriteOutcome { Inserted, Updated, Unchanged, Duplicate, Unknown }

// Upserts validated rows by natural key through prepared statements of the store's bulk session (EF change tracking
// is far too slow for millions of lines): insert if new, else update if changed, else stamp as seen. Every row the
// file holds ends up with seen_import_id, so a key met twice in one file is a duplicate; unchanged rows keep
// import_id and revision. A first load costs one statement per row.
internal sealed class StoreWriter : IRowWriter
{
    private readonly IBulkSession _session;
    private readonly ImportKind _kind;
    private readonly IRowStatement _insert;
    private readonly IRowStatement? _update;
    private readonly IRowStatement[] _statements;
    private readonly int[][] _parameters;
    private readonly int[] _eventKeyParameters;
    private readonly IRowStatement? _stamp;

    public StoreWriter(IBulkSession session, ImportSchema schema, int[] columnOf, long importId)
    {
        _session = session;
        _kind = schema.Kind;
        var table = TableName(schema.Kind);
        var keyColumns = KeyColumns(schema.Kind);

        var insertColumns = new List<string>();
        var insertValues = new List<string>();
        var updatable = new List<string>();
        for (var f = 0; f < schema.Fields.Count; f++)
        {
            var name = schema.Fields[f].Name;
            if (columnOf[f] < 0)
            {
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

        _insert = _session.Prepare($"INSERT INTO {table} ({string.Join(", ", insertColumns)}) VALUES ({string.Join(", ", insertValues)}) " +
                          $"ON CONFLICT ({string.Join(", ", keyColumns)}) DO NOTHING");
        var keyMatch = string.Join(" AND ", keyColumns.Select(c => $"{c} = ${c}"));
        if (updatable.Count > 0)
        {
            var changed = "(" + string.Join(" OR ", updatable.Select(c => $"{c} IS NOT ${c}")) + ")";
            var condition = schema.Kind == ImportKind.Consents
                // A consent log: the latest updated_at wins, older rows are left alone, repeats are history, not duplicates.
                ? $"($updated_at > updated_at OR ($updated_at = updated_at AND {changed}))"
                : $"seen_import_id <> $import_id AND {changed}";
            var assignments = string.Join(", ", updatable.Select(c => $"{c} = ${c}"));
            _update = _session.Prepare($"UPDATE {table} SET {assignments}, import_id = $import_id, seen_import_id = $import_id, " +
                              $"revision = revision + 1 WHERE {keyMatch} AND {condition}");
        }
        if (schema.Kind != ImportKind.Consents)
        {
            // Rows the file holds unchanged are stamped as seen, so a second sighting in the same file is caught.
            _stamp = _session.Prepare($"UPDATE {table} SET seen_import_id = $import_id WHERE {keyMatch} AND seen_import_id <> $import_id");
        }
        _statements = new[] { _insert, _update, _stamp }.OfType<IRowStatement>().ToArray();
        _parameters = _statements.Select(stmt => schema.Fields.Select(f => stmt.Parameter("$" + f.Name)).ToArray()).ToArray();
        _eventKeyParameters = _statements.Select(stmt => stmt.Parameter("$event_key")).ToArray();
        foreach (var stmt in _statements)
        {
            var importParameter = stmt.Parameter("$import_id");
            if (importParameter > 0) stmt.Integer(importParameter, importId);
        }
    }

    public static string TableName(ImportKind kind) => kind switch
    {
        ImportKind.Customers => "customers",
        ImportKind.Products => "products",
        ImportKind.Transactions => "order_lines",
        ImportKind.Events => "events",
        ImportKind.Consents => "consents",
        ImportKind.Outcomes => "campaign_outcomes",
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

    public WriteOutcome Write(ReadOnlySpan<BindValue> values)
    {
        var eventKey = _kind == ImportKind.Events
            ? EventKey(values[0].Text, values[1].Text!, values[2].Text!, values[3].Text!, values[4].Text)
            : null;

        BindAll(0, values, eventKey);
        if (_insert.Run() == 1) return WriteOutcome.Inserted;

        if (_update is not null)
        {
            BindAll(1, values, eventKey);
            if (_update.Run() == 1) return WriteOutcome.Updated;
        }
        if (_stamp is null) return WriteOutcome.Unchanged;

        BindAll(_statements.Length - 1, values, eventKey);
        return _stamp.Run() == 1 ? WriteOutcome.Unchanged : WriteOutcome.Duplicate;
    }

    private void BindAll(int statement, ReadOnlySpan<BindValue> values, string? eventKey)
    {
        var stmt = _statements[statement];
        var parameters = _parameters[statement];
        for (var f = 0; f < values.Length; f++) values[f].BindTo(stmt, parameters[f]);
        if (eventKey is not null) stmt.Text(_eventKeyParameters[statement], eventKey);
    }

    public (string Column, string Reason) Unknown => default;

    public void Dispose()
    {
        foreach (var stmt in _statements) stmt.Dispose();
    }
}
