using System.Globalization;
using Workbench.Core.Data.Store;

namespace Workbench.Core.Import;

// What an importer's write stage does with one validated row.
internal interface IRowWriter : IDisposable
{
    WriteOutcome Write(ReadOnlySpan<BindValue> values);

    // Why the last row came back Unknown (the column and the reason), for the import's problems.
    (string Column, string Reason) Unknown { get; }
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
    private readonly IRowStatement _insert;
    private readonly IRowStatement? _update;
    private readonly IRowStatement _stamp;
    private readonly IRowStatement[] _statements;
    private readonly int[][] _parameters;
    private readonly (int Run, int Customer, int Campaign)[] _keys;

    public OutcomeWriter(IBulkSession session, ImportSchema schema, int[] columnOf, long importId)
    {
        _session = session;
        var present = Enumerable.Range(FirstValue, schema.Fields.Count - FirstValue).Where(f => columnOf[f] >= 0).Select(f => schema.Fields[f].Name).ToList();
        var columns = string.Concat(present.Select(c => ", " + c));
        var values = string.Concat(present.Select(c => ", $" + c));
        _insert = session.Prepare($"INSERT INTO campaign_outcomes (run_id, customer_id{columns}, import_id, created_import_id, seen_import_id, revision) " +
                                  $"SELECT k.id, $customer{values}, $import_id, $import_id, $import_id, 0 FROM (SELECT {Resolve} AS id) k WHERE k.id IS NOT NULL " +
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
        _statements = new[] { _insert, _update, _stamp }.OfType<IRowStatement>().ToArray();
        _parameters = _statements.Select(stmt => schema.Fields.Select(f => stmt.Parameter("$" + f.Name)).ToArray()).ToArray();
        _keys = _statements.Select(stmt => (stmt.Parameter("$run"), stmt.Parameter("$customer"), stmt.Parameter("$campaign"))).ToArray();
        foreach (var stmt in _statements) stmt.Integer(stmt.Parameter("$import_id"), importId);
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
        Bind(0, values, run, customer, campaign);
        if (_insert.Run() == 1) return WriteOutcome.Inserted;
        if (_update is not null)
        {
            Bind(1, values, run, customer, campaign);
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
        stmt.Integer(runParameter, run);
        stmt.Text(customerParameter, customer);
        stmt.Text(campaignParameter, campaign);
    }

    public void Dispose()
    {
        foreach (var stmt in _statements) stmt.Dispose();
    }
}
