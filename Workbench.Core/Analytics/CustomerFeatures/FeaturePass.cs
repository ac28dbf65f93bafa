using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using Workbench.Core.Data;
using Workbench.Core.Data.Store;

namespace Workbench.Core.Analytics.CustomerFeatures;

// What the population-wide steps (RFM cut points, the CLV fit, gateways) need of one customer with lines, kept as
// plain fields in one array while the rest of their features is already written (NaN, 0 or −1 for none).
internal struct FeatureMember
{
    public long RowId;
    public long Orders;
    public double NetRevenue;
    public int RecencyDays;
    public int RepeatX;
    public double RepeatTx, RepeatT;
    public int SpendX;
    public double SpendMean;
    public int FirstDay, SecondDay;
    public int GatewayStart, GatewayCount;
}

internal sealed class CategorySteps : Dictionary<CategoryStep, (long Steps, long Customers)>;

// The rebuild's one pass: three stages on their own threads. The line reader steps through every customer with their
// order lines (customers ⟕ order_lines in customer order), the event reader through the events in the same order,
// and the reducer merges the two per customer, reduces the lines to features and writes each customer's rows at once,
// leaving only the population-dependent columns (RFM, CLV) for FeatureService to fill in afterwards by row id.
internal sealed class FeaturePass(ProductIndex products, DateOnly today, DateTime now, IProgress<string>? progress)
{
    public List<FeatureMember> Members { get; } = [];
    // Per member a slice of these: category index (below products.CategoryNames.Count) or that plus a sku index.
    public List<int> GatewayKeys { get; } = [];
    public CategorySteps Steps { get; } = new();
    public long Customers { get; private set; }

    private readonly byte[] _emailOpen = "email_open"u8.ToArray(), _emailClick = "email_click"u8.ToArray();

    private readonly record struct RawLine(int Order, long Ticks, int Product, double Quantity, double UnitPrice, double Discount, byte Channel);

    private sealed class LineBatch
    {
        public const int Customers = 2_000;
        public readonly ByteArena Ids = new(32 * 1024);
        public readonly List<((int Start, int Length) Id, TimeZoneInfo? Zone, int SignupDay, int Start, int Count)> Owners = new(Customers);
        public readonly List<RawLine> Lines = new(Customers * 32);

        // As EventBatch.Reuse.
        public static LineBatch Reuse(ConcurrentQueue<LineBatch> free)
        {
            if (!free.TryDequeue(out var batch)) return new LineBatch();
            batch.Ids.Clear();
            batch.Owners.Clear();
            batch.Lines.Clear();
            return batch;
        }
    }

    private readonly ConcurrentQueue<LineBatch> _freeLines = new();
    private readonly ConcurrentQueue<EventBatch> _freeEvents = new();

    public void Run(IStoreReader lines, IStoreReader events, IBulkSession writer, int expectedCustomers, CancellationToken ct)
    {
        Members.Capacity = expectedCustomers;
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var lineBatches = new BlockingCollection<LineBatch>(4);
        using var eventBatches = new BlockingCollection<EventBatch>(4);
        var threshold = StoreTime.Format(now.AddDays(-90));
        var stages = new[]
        {
            Stage(() => ReadLines(lines, lineBatches, failed.Token), lineBatches),
            Stage(() => EventActivityReader.Read(events, threshold, eventBatches, _freeEvents, failed.Token), eventBatches),
            Stage(() => Reduce(writer, lineBatches, eventBatches, failed.Token), null),
        };
        Task.WaitAll(stages);

        Task Stage(Action work, IDisposable? output) => Task.Factory.StartNew(() =>
        {
            try
            {
                work();
            }
            catch
            {
                // Stops the other stages rather than leaving them blocked on a full or empty queue.
                failed.Cancel();
                throw;
            }
            finally
            {
                switch (output)
                {
                    case BlockingCollection<LineBatch> l: l.CompleteAdding(); break;
                    case BlockingCollection<EventBatch> e: e.CompleteAdding(); break;
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void ReadLines(IStoreReader reader, BlockingCollection<LineBatch> output, CancellationToken ct)
    {
        const string sql = """
            SELECT c.customer_id, c.time_zone, c.signup_date, l.order_id, l.ordered_at, l.sku, l.quantity, l.unit_price, l.discount, l.channel
            FROM customers c LEFT JOIN order_lines l ON l.customer_id = c.customer_id
            ORDER BY c.customer_id
            """;
        var zones = new Dictionary<string, TimeZoneInfo?>(StringComparer.Ordinal);
        var skus = new SkuLookup(products.Skus);
        var orders = new OrderOrdinals();
        var current = new byte[256];
        var currentLength = -1;
        var batch = LineBatch.Reuse(_freeLines);
        ((int, int) Id, TimeZoneInfo? Zone, int SignupDay, int Start) owner = default;

        using var row = reader.Query(sql);
        while (row.Next())
        {
            var id = row.Bytes(0);
            if (currentLength < 0 || !id.SequenceEqual(current.AsSpan(0, currentLength)))
            {
                if (currentLength >= 0 && Close(batch, owner))
                {
                    output.Add(batch, ct);
                    batch = LineBatch.Reuse(_freeLines);
                }
                if (id.Length > current.Length) current = new byte[id.Length * 2];
                id.CopyTo(current);
                currentLength = id.Length;
                owner = (batch.Ids.Add(id), Zone(zones, row.IsNull(1) ? null : Encoding.UTF8.GetString(row.Bytes(1))),
                    Day(row.Bytes(2)), batch.Lines.Count);
                orders.Clear();
            }
            // A customer without lines comes once, with NULLs from the outer join.
            if (row.IsNull(3)) continue;
            batch.Lines.Add(new RawLine(orders.Ordinal(row.Bytes(3)), StoreTime.ParseTicks(row.Bytes(4)),
                skus.Find(row.Bytes(5)), row.Real(6), row.Real(7),
                row.Real(8), Channel(row.Bytes(9))));
        }
        if (currentLength >= 0) Close(batch, owner);
        if (batch.Owners.Count > 0) output.Add(batch, ct);
    }

    // Adds the customer whose lines end here; true when the batch is full.
    private static bool Close(LineBatch batch, ((int, int) Id, TimeZoneInfo? Zone, int SignupDay, int Start) owner)
    {
        batch.Owners.Add((owner.Id, owner.Zone, owner.SignupDay, owner.Start, batch.Lines.Count - owner.Start));
        return batch.Owners.Count == LineBatch.Customers;
    }

    private void Reduce(IBulkSession writer, BlockingCollection<LineBatch> lineBatches, BlockingCollection<EventBatch> eventBatches, CancellationToken ct)
    {
        var accumulator = new LineAccumulator(products.Categories, products.Skus, products.ProductCategory);
        var events = new EventCursor(eventBatches, _freeEvents, ct);
        var computedAt = StoreTime.Format(now);
        // Per row of the pending feature statement, the member it belongs to (−1 for a customer without lines), so the
        // members learn their row ids once it has run.
        var pending = new List<int>();
        using var features = writer.InsertRows("customer_features", FeatureColumns, (first, rows) =>
        {
            var members = CollectionsMarshal.AsSpan(Members);
            for (var i = 0; i < rows; i++)
            {
                if (pending[i] >= 0) members[pending[i]].RowId = first + i;
            }
            pending.Clear();
        });
        using var categories = writer.InsertRows("customer_category_activity",
            ["customer_id", "category", "net_spend", "share", "orders", "last_bought_at"]);
        using var activity = writer.InsertRows("customer_event_activity", ["customer_id", "type", "total", "last_90d", "last_at"]);

        foreach (var batch in lineBatches.GetConsumingEnumerable(ct))
        {
            foreach (var (idSlot, zone, signupDay, start, count) in batch.Owners)
            {
                var id = batch.Ids[idSlot];
                var (opens, clicks) = WriteEvents(activity, id, events.Take(id));
                if (count == 0)
                {
                    WriteWithoutLines(features, id, signupDay, opens, clicks, computedAt);
                    pending.Add(-1);
                    features.EndRow();
                }
                else
                {
                    accumulator.Clear();
                    for (var i = start; i < start + count; i++)
                    {
                        var l = batch.Lines[i];
                        accumulator.Add(l.Order, l.Ticks, l.Product, l.Quantity, l.UnitPrice, l.Discount, l.Channel);
                    }
                    var summary = accumulator.Compute(Encoding.UTF8.GetString(id), today, zone);
                    foreach (var c in summary.Categories)
                    {
                        categories.Text(0, id);
                        categories.Text(1, c.Category);
                        categories.Real(2, c.NetSpend);
                        categories.Real(3, c.Share);
                        categories.Integer(4, c.Orders);
                        categories.Time(5, c.LastBoughtAt);
                        categories.EndRow();
                    }
                    Members.Add(Member(summary));
                    WriteSummary(features, id, summary, opens, clicks, computedAt);
                    pending.Add(Members.Count - 1);
                    features.EndRow();
                }
                Customers++;
                if (Customers % 100_000 == 0) progress?.Report($"{Customers:N0} customers");
            }
            _freeLines.Enqueue(batch);
        }
        features.Flush();
        categories.Flush();
        activity.Flush();
        // Events of ids after the last customer are never asked for: taken all the same, or their reader would wait on a
        // full queue for ever.
        events.Drain();
    }

    private FeatureMember Member(CustomerFeatureSummary s)
    {
        var member = new FeatureMember
        {
            Orders = s.Orders,
            NetRevenue = s.NetRevenue,
            RecencyDays = s.RecencyDays ?? -1,
            RepeatX = s.Repeat?.X ?? -1,
            RepeatTx = s.Repeat?.Tx ?? 0,
            RepeatT = s.Repeat?.T ?? 0,
            SpendX = s.Spend?.X ?? 0,
            SpendMean = s.Spend?.MeanValue ?? 0,
            FirstDay = s.First?.Day.DayNumber ?? -1,
            SecondDay = s.First?.SecondDay?.DayNumber ?? -1,
            GatewayStart = GatewayKeys.Count,
        };
        if (s.First is { } first)
        {
            foreach (var category in first.Categories) GatewayKeys.Add(products.CategoryKey(category));
            foreach (var sku in first.Skus) GatewayKeys.Add(products.CategoryNames.Count + products.SkuIndex[sku]);
            member.GatewayCount = GatewayKeys.Count - member.GatewayStart;
            // The category steps are summed here and not kept per customer: they would be most of the memory.
            Count(Steps, first.Steps);
        }
        return member;
    }

    // Every column but the population-dependent ones (RFM, CLV), which FeatureService sets afterwards.
    private static readonly string[] FeatureColumns =
    [
        "customer_id", "orders", "net_revenue", "average_order_value", "first_purchase_at", "last_purchase_at", "recency_days",
        "tenure_days", "mean_days_between_orders", "expected_next_purchase_at", "top_category_1", "top_category_2", "top_category_3",
        "category_count", "promo_share", "store_share", "web_share", "app_share", "favourite_weekday", "favourite_daypart",
        "returns_rate", "email_opens_90d", "email_clicks_90d", "computed_at",
    ];

    private static void WriteSummary(IRowInserter stmt, ReadOnlySpan<byte> id, CustomerFeatureSummary s, long opens, long clicks, string computedAt)
    {
        stmt.Text(0, id);
        stmt.Integer(1, s.Orders);
        stmt.Real(2, s.NetRevenue);
        stmt.Real(3, s.AverageOrderValue);
        stmt.Time(4, s.FirstPurchaseAt);
        stmt.Time(5, s.LastPurchaseAt);
        stmt.Integer(6, s.RecencyDays);
        stmt.Integer(7, s.TenureDays);
        stmt.Real(8, s.MeanDaysBetweenOrders);
        stmt.Time(9, s.ExpectedNextPurchaseAt);
        stmt.Text(10, s.Categories.Count > 0 ? s.Categories[0].Category : null);
        stmt.Text(11, s.Categories.Count > 1 ? s.Categories[1].Category : null);
        stmt.Text(12, s.Categories.Count > 2 ? s.Categories[2].Category : null);
        stmt.Integer(13, s.Categories.Count);
        stmt.Real(14, s.PromoShare);
        stmt.Real(15, s.StoreShare);
        stmt.Real(16, s.WebShare);
        stmt.Real(17, s.AppShare);
        stmt.Integer(18, s.FavouriteWeekday);
        stmt.Text(19, s.FavouriteDaypart);
        stmt.Real(20, s.ReturnsRate);
        stmt.Integer(21, opens);
        stmt.Integer(22, clicks);
        stmt.Text(23, computedAt);
    }

    // A customer who never bought: tenure from their signup, their email engagement, nothing else.
    private void WriteWithoutLines(IRowInserter stmt, ReadOnlySpan<byte> id, int signupDay, long opens, long clicks, string computedAt)
    {
        stmt.Text(0, id);
        stmt.Integer(1, 0);
        stmt.Real(2, 0);
        for (var i = 3; i <= 20; i++) stmt.Null(i);
        stmt.Integer(7, signupDay < 0 ? null : today.DayNumber - signupDay);
        stmt.Integer(13, 0);
        stmt.Integer(21, opens);
        stmt.Integer(22, clicks);
        stmt.Text(23, computedAt);
    }

    private (long Opens, long Clicks) WriteEvents(IRowInserter stmt, ReadOnlySpan<byte> id, (EventBatch Batch, int First, int Count)? slice)
    {
        if (slice is not var (batch, first, count)) return (0, 0);
        long opens = 0, clicks = 0;
        for (var i = first; i < first + count; i++)
        {
            var a = batch.Types[i];
            var type = batch.Text[a.Type];
            if (type.SequenceEqual(_emailOpen)) opens = a.Last90d;
            else if (type.SequenceEqual(_emailClick)) clicks = a.Last90d;
            stmt.Text(0, id);
            stmt.Text(1, type);
            stmt.Integer(2, a.Total);
            stmt.Integer(3, a.Last90d);
            stmt.Text(4, batch.Text[a.LastAt]);
            stmt.EndRow();
        }
        return (opens, clicks);
    }

    // Walks the event batches alongside the customers; both come in customer_id order (SQLite's BINARY collation, the
    // byte order of the UTF-8 text), so events of ids that are not customers are passed over.
    private sealed class EventCursor(BlockingCollection<EventBatch> batches, ConcurrentQueue<EventBatch> free, CancellationToken ct)
    {
        private EventBatch? _batch;
        private int _next;
        private bool _done;

        public (EventBatch Batch, int First, int Count)? Take(ReadOnlySpan<byte> customerId)
        {
            while (!_done)
            {
                if (_batch is null || _next == _batch.Owners.Count)
                {
                    if (_batch is not null) free.Enqueue(_batch);
                    if (!batches.TryTake(out _batch, Timeout.Infinite, ct))
                    {
                        _done = true;
                        break;
                    }
                    _next = 0;
                    continue;
                }
                var (id, first, count) = _batch.Owners[_next];
                var order = _batch.Text[id].SequenceCompareTo(customerId);
                if (order > 0) return null;
                _next++;
                if (order == 0) return (_batch, first, count);
            }
            return null;
        }

        public void Drain()
        {
            while (!_done) _done = !batches.TryTake(out _, Timeout.Infinite, ct);
        }
    }

    private static void Count(CategorySteps transitions, IReadOnlyList<CategoryStep> steps)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var firstTime = true;
            for (var j = 0; j < i; j++)
            {
                if (steps[j] == step)
                {
                    firstTime = false;
                    break;
                }
            }
            var (count, customers) = transitions.GetValueOrDefault(step);
            transitions[step] = (count + 1, customers + (firstTime ? 1 : 0));
        }
    }

    // A stored date to a day number; −1 for none or anything else.
    private static int Day(ReadOnlySpan<byte> text) =>
        text.Length > 0 && StoreTime.TryParseDate(Encoding.UTF8.GetString(text), out var d) ? d.DayNumber : -1;

    private static byte Channel(ReadOnlySpan<byte> channel) => channel switch
    {
        [(byte)'s', (byte)'t', (byte)'o', (byte)'r', (byte)'e'] => LineAccumulator.Store,
        [(byte)'w', (byte)'e', (byte)'b'] => LineAccumulator.Web,
        [(byte)'a', (byte)'p', (byte)'p'] => LineAccumulator.App,
        _ => LineAccumulator.NoChannel,
    };

    private static TimeZoneInfo? Zone(Dictionary<string, TimeZoneInfo?> zones, string? id)
    {
        if (id is null) return null;
        if (!zones.TryGetValue(id, out var zone))
        {
            zone = TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found) ? found : null;
            zones[id] = zone;
        }
        return zone;
    }
}

// The catalogue as indexes: categories in order of first appearance, skus with their category.
internal sealed record ProductIndex(List<string> Categories, List<string> Skus, List<int> ProductCategory, Dictionary<string, int> SkuIndex)
{
    public const string UnknownCategory = "(unknown)";

    // The categories, then the one lines of unknown skus fall in.
    public IReadOnlyList<string> CategoryNames { get; } = [.. Categories, UnknownCategory];

    public int CategoryKey(string name)
    {
        var i = Categories.IndexOf(name);
        return i < 0 ? Categories.Count : i;
    }
}

// Sku bytes to the product index: skus of up to 15 bytes packed with their length into one 128-bit key (no string per
// line); longer ones through a string.
internal sealed class SkuLookup
{
    private readonly Dictionary<UInt128, int> _short = [];
    private readonly Dictionary<string, int> _long = new(StringComparer.Ordinal);

    public SkuLookup(IReadOnlyList<string> skus)
    {
        for (var i = 0; i < skus.Count; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(skus[i]);
            if (bytes.Length <= 15) _short[Pack(bytes)] = i;
            else _long[skus[i]] = i;
        }
    }

    // −1 for a sku the catalogue does not have.
    public int Find(ReadOnlySpan<byte> sku) =>
        sku.Length <= 15
            ? _short.GetValueOrDefault(Pack(sku), -1)
            : _long.GetValueOrDefault(Encoding.UTF8.GetString(sku), -1);

    private static UInt128 Pack(ReadOnlySpan<byte> bytes)
    {
        Span<byte> key = stackalloc byte[16];
        key.Clear();
        bytes.CopyTo(key);
        key[15] = (byte)bytes.Length;
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(key);
    }
}

// Order ids to ordinals within one customer, the ids kept in one buffer (lines of one order are usually adjacent:
// looked up from the end).
internal sealed class OrderOrdinals
{
    private readonly ByteArena _ids = new();
    private readonly List<(int Start, int Length)> _slots = [];

    public int Ordinal(ReadOnlySpan<byte> orderId)
    {
        for (var i = _slots.Count - 1; i >= 0; i--)
        {
            if (orderId.SequenceEqual(_ids[_slots[i]])) return i;
        }
        _slots.Add(_ids.Add(orderId));
        return _slots.Count - 1;
    }

    public void Clear()
    {
        _ids.Clear();
        _slots.Clear();
    }
}
