using System.Text;
using Workbench.Core.Data;
using Workbench.Core.Data.Store;
using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Segments.Facts;

// Every field a rule can test, held column by column in memory for the whole base: row i is the i-th customer in
// customer_id order. Values keep the store's meaning exactly (SQL NULL, '' and the text order of stored times); a field
// whose stored values cannot be held that way (a time not in the store's own format, text in a number column) is listed
// in Irregular, and a rule that tests it is left to SQL.
public sealed class SegmentFacts
{
    internal SegmentFacts(int count) => Count = count;

    public int Count { get; }

    // Any row in customer_features, and the sum of its net revenue over every row (as the KPI panel's SQL reads them).
    public bool FeaturesComputed { get; internal set; }
    public double AllRevenue { get; internal set; }

    internal Dictionary<string, NumberColumn> Numbers { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, TextColumn> Texts { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, TimeColumn> Times { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, Activity> Categories { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, Activity> Events { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, TextColumn> Consents { get; } = new(StringComparer.Ordinal);
    internal HashSet<string> Irregular { get; } = new(StringComparer.Ordinal);

    internal CustomerIds Ids { get; set; } = new(0);

    // The customer of a row (rows are in customer_id order).
    public string IdAt(int row) => Encoding.UTF8.GetString(Ids[row]);

    public long ApproximateBytes => Ids.Bytes +
        Numbers.Values.Sum(c => (long)c.Values.Length * 8) + Texts.Values.Concat(Consents.Values).Sum(c => (long)c.Codes.Length * 4)
        + Times.Values.Sum(c => (long)c.Ticks.Length * 8) + Categories.Values.Concat(Events.Values).Sum(a => (long)a.Rows.Length * 12);
}

// NaN is NULL (a ZeroWhenMissing field holds 0 instead, as COALESCE does in SQL).
internal sealed record NumberColumn(double[] Values);

// Code 0 is NULL, code 1 is ''; other codes index Dictionary.
internal sealed record TextColumn(int[] Codes, List<string> Dictionary)
{
    public const int Null = 0, Empty = 1;
}

// long.MinValue is NULL or '' (every condition on a time treats the two alike); a date-only field holds midnight.
internal sealed record TimeColumn(long[] Ticks)
{
    public const long None = long.MinValue;
}

// The customers (rows, ascending) with a row for one category or event type, and its last time.
internal sealed record Activity(int[] Rows, long[] Ticks);

public static class SegmentFactsLoader
{
    private static readonly RuleField[] ProfileFields = [.. FieldCatalog.All.Where(f => f.Source == FieldSource.Profile)];
    private static readonly RuleField[] FeatureFields = [.. FieldCatalog.All.Where(f => f.Source == FieldSource.Features)];

    // customers in customer_id order first (its ids kept as UTF-8 bytes), then customer_features, consents and the two
    // activity tables at once, each on a connection of its own in customer_id order, merged on the id's bytes (the
    // store's BINARY order). Rows of customers no longer in customers (none in a consistent store) are passed over.
    public static SegmentFacts Load(IBulkStore bulk, CancellationToken ct)
    {
        CustomerIds ids;
        SegmentFacts facts;
        using (var reader = bulk.OpenReader(cacheMegabytes: 64))
        {
            var count = (int)reader.Scalar("SELECT COUNT(*) FROM customers");
            facts = new SegmentFacts(count);
            ids = facts.Ids = new CustomerIds(count);
            var builders = new ColumnBuilders(facts, count, ProfileFields);
            using var rows = reader.Query($"SELECT customer_id, {string.Join(", ", ProfileFields.Select(f => f.Column))} FROM customers ORDER BY customer_id");
            var row = 0;
            while (row < count && rows.Next())
            {
                if ((row & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
                ids.Add(rows.Bytes(0));
                for (var i = 0; i < ProfileFields.Length; i++) builders.Set(ProfileFields[i], row, rows, i + 1);
                row++;
            }
            if (row != count || rows.Next()) throw new InvalidOperationException("the customers changed while the segment facts were read");
        }

        var features = new ColumnBuilders(facts, facts.Count, FeatureFields);
        var consents = new ColumnBuilders(facts, facts.Count, []);
        var categories = new ColumnBuilders(facts, facts.Count, []);
        var events = new ColumnBuilders(facts, facts.Count, []);
        var revenueColumn = Array.FindIndex(FeatureFields, f => f.Id == "net_revenue") + 1;
        double allRevenue = 0, compensation = 0;
        var anyFeatures = false;
        Parallel.Invoke(new ParallelOptions { CancellationToken = ct },
            () => Merge($"SELECT customer_id, {string.Join(", ", FeatureFields.Select(f => f.Column))} FROM customer_features ORDER BY customer_id",
                (rows, row) =>
                {
                    // Neumaier's compensated sum, as SQLite's SUM of reals.
                    anyFeatures = true;
                    var x = rows.IsNull(revenueColumn) ? 0 : rows.Real(revenueColumn);
                    var t = allRevenue + x;
                    compensation += Math.Abs(allRevenue) >= Math.Abs(x) ? allRevenue - t + x : x - t + allRevenue;
                    allRevenue = t;
                    if (row < 0) return;
                    for (var i = 0; i < FeatureFields.Length; i++) features.Set(FeatureFields[i], row, rows, i + 1);
                }),
            () => Merge("SELECT customer_id, channel, status FROM consents ORDER BY customer_id", (rows, row) =>
            {
                if (row >= 0) consents.Consent(rows, row);
            }),
            () => Merge("SELECT customer_id, category, last_bought_at FROM customer_category_activity ORDER BY customer_id", (rows, row) =>
            {
                if (row >= 0) categories.Activity("bought_category", rows, row);
            }),
            () => Merge("SELECT customer_id, type, last_at FROM customer_event_activity ORDER BY customer_id", (rows, row) =>
            {
                if (row >= 0) events.Activity("event", rows, row);
            }));
        facts.FeaturesComputed = anyFeatures;
        facts.AllRevenue = allRevenue + compensation;
        categories.Finish(facts.Categories);
        events.Finish(facts.Events);
        return facts;

        // Each row of the query with the customer's row number, or -1 for an id not in customers.
        void Merge(string sql, Action<IRowStream, int> take)
        {
            using var reader = bulk.OpenReader(cacheMegabytes: 64);
            using var rows = reader.Query(sql);
            var row = 0;
            var n = 0;
            while (rows.Next())
            {
                if ((++n & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
                var id = rows.Bytes(0);
                while (row < ids.Count && ids[row].SequenceCompareTo(id) < 0) row++;
                take(rows, row < ids.Count && ids[row].SequenceEqual(id) ? row : -1);
            }
        }
    }

    private sealed class ColumnBuilders
    {
        private readonly SegmentFacts _facts;
        private readonly int _count;
        private readonly Dictionary<string, Dictionary<string, int>> _codes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (List<int> Rows, List<long> Ticks)> _activity = new(StringComparer.Ordinal);
        private readonly byte[] _format = new byte[40];

        public ColumnBuilders(SegmentFacts facts, int count, IEnumerable<RuleField> fields)
        {
            _facts = facts;
            _count = count;
            foreach (var f in fields)
            {
                switch (f.Kind)
                {
                    case FieldKind.Number:
                        var values = new double[count];
                        Array.Fill(values, f.ZeroWhenMissing ? 0 : double.NaN);
                        lock (facts) facts.Numbers[f.Id] = new NumberColumn(values);
                        break;
                    case FieldKind.Text or FieldKind.Choice:
                        lock (facts) facts.Texts[f.Id] = new TextColumn(new int[count], ["", ""]);
                        _codes[f.Id] = new(StringComparer.Ordinal);
                        break;
                    default:
                        var ticks = new long[count];
                        Array.Fill(ticks, TimeColumn.None);
                        lock (facts) facts.Times[f.Id] = new TimeColumn(ticks);
                        break;
                }
            }
        }

        public void Set(RuleField f, int row, IRowStream rows, int column)
        {
            var kind = rows.Kind(column);
            switch (f.Kind)
            {
                case FieldKind.Number:
                    if (kind is StoreValueKind.Integer or StoreValueKind.Real)
                        _facts.Numbers[f.Id].Values[row] = kind == StoreValueKind.Integer ? rows.Integer(column) : rows.Real(column);
                    else if (kind != StoreValueKind.Null) Irregular(f.Id);
                    break;
                case FieldKind.Text or FieldKind.Choice:
                    if (kind == StoreValueKind.Text) _facts.Texts[f.Id].Codes[row] = Code(f.Id, _facts.Texts[f.Id], rows.Bytes(column));
                    else if (kind != StoreValueKind.Null) Irregular(f.Id);
                    break;
                default:
                    if (kind == StoreValueKind.Text)
                    {
                        var bytes = rows.Bytes(column);
                        if (bytes.Length == 0) break;
                        if (TryTicks(bytes, dateOnly: f.Kind == FieldKind.Date, out var ticks)) _facts.Times[f.Id].Ticks[row] = ticks;
                        else Irregular(f.Id);
                    }
                    else if (kind != StoreValueKind.Null) Irregular(f.Id);
                    break;
            }
        }

        private readonly Dictionary<string, TextColumn> _consents = new(StringComparer.Ordinal);

        public void Consent(IRowStream rows, int row)
        {
            var channel = rows.Text(1)!;
            if (!_consents.TryGetValue(channel, out var column))
            {
                column = _consents[channel] = new TextColumn(new int[_count], ["", ""]);
                lock (_facts) _facts.Consents[channel] = column;
                _codes["consent:" + channel] = new(StringComparer.Ordinal);
            }
            // A row exists: its status is never NULL (NOT NULL column), so code 0 keeps meaning "no row".
            column.Codes[row] = Code("consent:" + channel, column, rows.Bytes(2), emptyCode: false);
        }

        public void Activity(string field, IRowStream rows, int row)
        {
            var key = rows.Text(1)!;
            if (!_activity.TryGetValue(key, out var lists)) _activity[key] = lists = ([], []);
            if (TryTicks(rows.Bytes(2), dateOnly: false, out var ticks))
            {
                lists.Rows.Add(row);
                lists.Ticks.Add(ticks);
            }
            else
            {
                Irregular(field);
            }
        }

        public void Finish(Dictionary<string, Activity> into)
        {
            foreach (var (key, lists) in _activity) into[key] = new Activity([.. lists.Rows], [.. lists.Ticks]);
            _activity.Clear();
        }

        private void Irregular(string field)
        {
            lock (_facts) _facts.Irregular.Add(field);
        }

        private int Code(string key, TextColumn column, ReadOnlySpan<byte> utf8, bool emptyCode = true)
        {
            if (utf8.Length == 0 && emptyCode) return TextColumn.Empty;
            var codes = _codes[key];
            Span<char> chars = utf8.Length <= 256 ? stackalloc char[utf8.Length] : new char[utf8.Length];
            var n = Encoding.UTF8.GetChars(utf8, chars);
            var lookup = codes.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(chars[..n], out var code)) return code;
            var text = new string(chars[..n]);
            code = column.Dictionary.Count;
            column.Dictionary.Add(text);
            codes[text] = code;
            return code;
        }

        // Only text exactly as the store writes it (StoreTime), where the text order is the time order.
        private bool TryTicks(ReadOnlySpan<byte> text, bool dateOnly, out long ticks)
        {
            ticks = 0;
            try
            {
                if (dateOnly)
                {
                    if (text.Length != 10 || !StoreTime.TryParseDate(Encoding.ASCII.GetString(text), out var day)) return false;
                    ticks = day.ToDateTime(TimeOnly.MinValue).Ticks;
                    return true;
                }
                if (text.Length < 19 || text[10] != (byte)' ') return false;
                ticks = StoreTime.ParseTicks(text);
                var written = StoreTime.Format(new DateTime(ticks, DateTimeKind.Utc), _format);
                return text.SequenceEqual(_format.AsSpan(0, written));
            }
            catch (FormatException)
            {
                return false;
            }
            catch (ArgumentOutOfRangeException)
            {
                return false;
            }
        }
    }
}

// The customers' ids in order, as one block of UTF-8 bytes.
internal sealed class CustomerIds(int capacity)
{
    private readonly int[] _ends = new int[capacity];
    private byte[] _bytes = new byte[Math.Max(16, capacity * 12)];

    public int Count { get; private set; }

    public long Bytes => _bytes.LongLength + _ends.LongLength * 4;

    public ReadOnlySpan<byte> this[int i] => _bytes.AsSpan(i == 0 ? 0 : _ends[i - 1], _ends[i] - (i == 0 ? 0 : _ends[i - 1]));

    public void Add(ReadOnlySpan<byte> id)
    {
        var start = Count == 0 ? 0 : _ends[Count - 1];
        if (start + id.Length > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, start + id.Length));
        id.CopyTo(_bytes.AsSpan(start));
        _ends[Count++] = start + id.Length;
    }
}
