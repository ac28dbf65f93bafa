using System.Globalization;
using Workbench.Core.Data.Store;

namespace Workbench.Core.Import;

// What an importer's write stage does with one validated row.
internal interface IRowWriter : IDisposable
{
    WriteOutcome Write(ReadOnlySpan<BindValue> values);

    // Why the last row came back Unknown (the column and the reason), for the import's problems.
    (string Column, string Reason) Unknown { get; }

    // Rows a writer can insert in one statement (0: it writes row by row only), and that insert: true when every row of
    // the chunk was inserted new, false with nothing written (the caller then writes the rows one by one).
    int ChunkRows => 0;

    bool TryInsertChunk(BindValue[] values, int first, int fieldCount) => false;
}

// Writes outcomes onto their sends (campaign_outcomes, keyed as campaign_sends). The send is the send id's run and
// customer ("{run}-{customer}": the run is the number before the first '-'), or else the latest run of campaign_id that
// sent to customer_id. Only a row that was sent has outcomes: a control, holdout or stopped row got no message (its
// customer's purchases are its outcome). A value given replaces the stored one and an empty value leaves it, so a
// platform may send a send's delivery, open and click as separate rows, in one file or several (later rows win); a row
// that changes nothing is unchanged. A row whose send is unknown is Unknown, never dropped: the importer reports it.
internal sealed class OutcomeWriter : IRowWriter
{
    private const int SendId = 0, CampaignId = 1, CustomerId = 2, FirstValue = 3;

    private static readonly string Resolve =
        "(CASE WHEN $run IS NOT NULL THEN (SELECT s.run_id FROM campaign_sends s WHERE s.run_id = $run AND s.customer_id = $customer AND s.sent = 1) "
        + "ELSE (SELECT MAX(r.id) FROM campaign_runs r WHERE r.campaign_id = $campaign AND EXISTS "
        + "(SELECT 1 FROM campaign_sends s WHERE s.run_id = r.id AND s.customer_id = $customer AND s.sent = 1)) END)";

    private readonly IBulkSession _session;
    private readonly IRowStatement _insertBySend;
    private readonly IRowStatement _insert;
    private readonly IRowStatement? _update;
    private readonly IRowStatement _stamp;
    private readonly IRowStatement[] _statements;
    private readonly int[][] _parameters;
    private readonly (int Run, int Customer, int Campaign)[] _keys;
    private readonly IRowStatement _chunkInsert, _savepoint, _release, _rollbackTo;
    private readonly int[] _presentFields;
    private readonly (long Run, string Customer)[] _chunkKeys = new (long, string)[Chunk];

    // A fresh file's outcomes go in 64 to a statement: one statement's fixed cost (its cursors on the sends and the
    // outcomes) for 64 rows instead of one (bench outcomes at 1M rows: 4.1 s row by row, 3.0 s in chunks).
    private const int Chunk = 64;

    public OutcomeWriter(IBulkSession session, ImportSchema schema, int[] columnOf, long importId)
    {
        _session = session;
        _presentFields = Enumerable.Range(FirstValue, schema.Fields.Count - FirstValue).Where(f => columnOf[f] >= 0).ToArray();
        var present = _presentFields.Select(f => schema.Fields[f].Name).ToList();
        var columns = string.Concat(present.Select(c => ", " + c));
        var values = string.Concat(present.Select(c => ", $" + c));
        _insert = session.Prepare($"INSERT INTO campaign_outcomes (run_id, customer_id{columns}, import_id, created_import_id, seen_import_id, revision) " +
                                  $"SELECT k.id, $customer{values}, $import_id, $import_id, $import_id, 0 FROM (SELECT {Resolve} AS id) k WHERE k.id IS NOT NULL " +
                                  "ON CONFLICT (run_id, customer_id) DO NOTHING");
        // The usual row names its send by id: the send's own key, with no campaign to resolve.
        _insertBySend = session.Prepare($"INSERT INTO campaign_outcomes (run_id, customer_id{columns}, import_id, created_import_id, seen_import_id, revision) " +
                                        $"SELECT s.run_id, s.customer_id{values}, $import_id, $import_id, $import_id, 0 FROM campaign_sends s " +
                                        "WHERE s.run_id = $run AND s.customer_id = $customer AND s.sent = 1 " +
                                        "ON CONFLICT (run_id, customer_id) DO NOTHING");
        var key = $"run_id = {Resolve} AND customer_id = $customer";
        if (present.Count > 0)
        {
            var assignments = string.Join(", ", present.Select(c => $"{c} = COALESCE(${c}, {c})"));
            var changed = string.Join(" OR ", present.Select(c => $"(${c} IS NOT NULL AND ${c} IS NOT {c})"));
            _update = session.Prepare($"UPDATE campaign_outcomes SET {assignments}, import_id = $import_id, seen_import_id = $import_id, revision = revision + 1 " +
                                      $"WHERE {key} AND ({changed})");
        }
        _stamp = session.Prepare($"UPDATE campaign_outcomes SET seen_import_id = $import_id WHERE {key}");
        _statements = new[] { _insertBySend, _insert, _update, _stamp }.OfType<IRowStatement>().ToArray();
        _parameters = _statements.Select(stmt => schema.Fields.Select(f => stmt.Parameter("$" + f.Name)).ToArray()).ToArray();
        _keys = _statements.Select(stmt => (stmt.Parameter("$run"), stmt.Parameter("$customer"), stmt.Parameter("$campaign"))).ToArray();
        foreach (var stmt in _statements) stmt.Integer(stmt.Parameter("$import_id"), importId);

        // Numbered parameters only (a named one would take a number the VALUES rows use): the import id is a literal.
        var perRow = 2 + present.Count;
        var rows = string.Join(", ", Enumerable.Range(0, Chunk).Select(r =>
            "(" + string.Join(", ", Enumerable.Range(1, perRow).Select(c => "?" + (r * perRow + c).ToString(CultureInfo.InvariantCulture))) + ")"));
        var chunkValues = string.Concat(Enumerable.Range(0, present.Count).Select(c => ", v.column" + (c + 3).ToString(CultureInfo.InvariantCulture)));
        var id = importId.ToString(CultureInfo.InvariantCulture);
        _chunkInsert = session.Prepare($"INSERT INTO campaign_outcomes (run_id, customer_id{columns}, import_id, created_import_id, seen_import_id, revision) " +
                                       $"SELECT s.run_id, s.customer_id{chunkValues}, {id}, {id}, {id}, 0 FROM (VALUES {rows}) v " +
                                       "JOIN campaign_sends s ON s.run_id = v.column1 AND s.customer_id = v.column2 AND s.sent = 1");
        _savepoint = session.Prepare("SAVEPOINT outcome_chunk");
        _release = session.Prepare("RELEASE outcome_chunk");
        _rollbackTo = session.Prepare("ROLLBACK TO outcome_chunk");
    }

    public int ChunkRows => Chunk;

    // Every row names its send by id, each send was sent and has no outcome yet, and no send comes twice: then all 64
    // are inserted by one statement, exactly as one by one. Otherwise (a send unknown or not sent: the join drops it; an
    // outcome already stored or a send twice: the key refuses it) the chunk is rolled back to its savepoint and false
    // says to write it row by row, where each row gets its own outcome and reason.
    public bool TryInsertChunk(BindValue[] values, int first, int fieldCount)
    {
        for (var r = 0; r < Chunk; r++)
        {
            var row = (first + r) * fieldCount;
            if (values[row + SendId].Text is not { } sendId || Split(sendId) is not var (run, customer)) return false;
            _chunkKeys[r] = (run, customer);
        }
        var perRow = 2 + _presentFields.Length;
        for (var r = 0; r < Chunk; r++)
        {
            var row = (first + r) * fieldCount;
            var parameter = r * perRow + 1;
            _chunkInsert.Integer(parameter, _chunkKeys[r].Run);
            _chunkInsert.Text(parameter + 1, _chunkKeys[r].Customer);
            for (var c = 0; c < _presentFields.Length; c++) values[row + _presentFields[c]].BindTo(_chunkInsert, parameter + 2 + c);
        }
        _savepoint.Run();
        int inserted;
        try
        {
            inserted = _chunkInsert.Run();
        }
        catch (StoreException)
        {
            inserted = -1; // a key already there: the statement undid itself; the row-by-row writes say which and why
        }
        if (inserted == Chunk)
        {
            _release.Run();
            return true;
        }
        _rollbackTo.Run();
        _release.Run();
        return false;
    }

    public (string Column, string Reason) Unknown { get; private set; }

    // The row names its send: a send id that reads {run}-{customer} (and agrees with customer_id when both are given),
    // or campaign_id and customer_id.
    public static bool ValidKey(Span<BindValue> values, long line, List<ImportProblem> problems)
    {
        if (values[SendId].Text is { } sendId)
        {
            if (Split(sendId) is not var (_, customer))
            {
                problems.Add(new ImportProblem(line, "send_id",
                    $"'{FieldParsers.Printable(sendId)}' is not a send id: a send id reads {{run}}-{{customer}} (as in the run's send list, e.g. 12-C00042)"));
                return false;
            }
            if (values[CustomerId].Text is { } given && given != customer)
            {
                problems.Add(new ImportProblem(line, "customer_id",
                    $"customer_id '{FieldParsers.Printable(given)}' is not the customer of send {FieldParsers.Printable(sendId)} ('{FieldParsers.Printable(customer)}'): give one of them, or fix it"));
                return false;
            }
            return true;
        }
        if (values[CampaignId].Text is null || values[CustomerId].Text is null)
        {
            problems.Add(new ImportProblem(line, values[CampaignId].Text is null ? "campaign_id" : "customer_id",
                "the row names no send: give send_id ({run}-{customer}, as in the run's send list), or campaign_id and customer_id"));
            return false;
        }
        return true;
    }

    private static (long Run, string Customer)? Split(string sendId)
    {
        var dash = sendId.IndexOf('-');
        return dash > 0 && dash < sendId.Length - 1 && long.TryParse(sendId.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var run)
            ? (run, sendId[(dash + 1)..])
            : null;
    }

    public WriteOutcome Write(ReadOnlySpan<BindValue> values)
    {
        var (run, customer) = values[SendId].Text is { } sendId && Split(sendId) is var (r, c) ? ((long?)r, c) : (null, values[CustomerId].Text!);
        var campaign = values[CampaignId].Text;
        var insert = run is null ? 1 : 0;
        Bind(insert, values, run, customer, campaign);
        if (_statements[insert].Run() == 1) return WriteOutcome.Inserted;
        if (_update is not null)
        {
            Bind(2, values, run, customer, campaign);
            if (_update.Run() == 1) return WriteOutcome.Updated;
        }
        Bind(_statements.Length - 1, values, run, customer, campaign);
        if (_stamp.Run() == 1) return WriteOutcome.Unchanged;
        Unknown = Explain(run, customer, campaign);
        return WriteOutcome.Unknown;
    }

    // Rare: the row's send was not found. Why, in words.
    private (string Column, string Reason) Explain(long? run, string customer, string? campaign)
    {
        if (run is { } id)
        {
            using var row = _session.Query("SELECT sent, reason FROM campaign_sends WHERE run_id = ?1 AND customer_id = ?2", id, customer);
            return row.Next()
                ? ("send_id", $"send {id}-{FieldParsers.Printable(customer)} was not sent ({row.Text(1)}): a customer who got no message has no outcomes from a sending platform")
                : ("send_id", $"send {id}-{FieldParsers.Printable(customer)} is in no run's send list: check the run and the customer, or import the outcome with the send id the send list gives");
        }
        return ("customer_id", $"campaign '{FieldParsers.Printable(campaign!)}' sent nothing to customer '{FieldParsers.Printable(customer)}' in any run: check both, or give the send id");
    }

    private void Bind(int statement, ReadOnlySpan<BindValue> values, long? run, string customer, string? campaign)
    {
        var stmt = _statements[statement];
        var parameters = _parameters[statement];
        for (var f = FirstValue; f < values.Length; f++) values[f].BindTo(stmt, parameters[f]);
        var (runParameter, customerParameter, campaignParameter) = _keys[statement];
        if (runParameter > 0) stmt.Integer(runParameter, run);
        stmt.Text(customerParameter, customer);
        if (campaignParameter > 0) stmt.Text(campaignParameter, campaign); // the by-send insert has no campaign
    }

    public void Dispose()
    {
        foreach (var stmt in _statements.Concat([_chunkInsert, _savepoint, _release, _rollbackTo])) stmt.Dispose();
    }
}
