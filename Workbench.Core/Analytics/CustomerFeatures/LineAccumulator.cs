using Workbench.Core.Analytics.Clv;

namespace Workbench.Core.Analytics.CustomerFeatures;

// The lines of one customer at a time, reduced to their features without LINQ or per-line allocations: the hot loop
// of the feature rebuild. Definitions as FeatureCalculator (and so CustomerKpis); a property test holds them equal.
internal sealed class LineAccumulator(IReadOnlyList<string> categories, IReadOnlyList<string> skus, IReadOnlyList<int> productCategory)
{
    public const byte NoChannel = 0, Store = 1, Web = 2, App = 3;
    private const string UnknownCategory = "(unknown)";

    private readonly List<Line> _lines = [];
    private readonly OrderOrdinals _orderIds = new();
    private int _orderCount;
    private readonly int _unknown = categories.Count;
    private readonly double[] _categoryGross = new double[categories.Count + 1];
    private readonly double[] _categoryNet = new double[categories.Count + 1];
    private readonly long[] _categoryLast = new long[categories.Count + 1];
    private readonly bool[] _categorySeen = new bool[categories.Count + 1];
    private bool[] _categoryOrder = new bool[(categories.Count + 1) * 64];
    private long[] _orderFirst = new long[64];
    private byte[] _orderChannels = new byte[64];
    private (int Day, double Value, int Product, int Category)[] _days = new (int, double, int, int)[64];

    private readonly record struct Line(int Order, long Ticks, int Product, int Category, double Quantity, double UnitPrice, double Discount, byte Channel)
    {
        public double Amount => Quantity * UnitPrice - Discount;
    }

    public int Count => _lines.Count;

    // The ordinal of the order within this customer's lines, for callers that have no ordinals of their own.
    public int Order(ReadOnlySpan<byte> orderId) => _orderIds.Ordinal(orderId);

    // product: the index into skus, or −1 for a sku the store does not know (its category is then unknown).
    public void Add(int order, long ticks, int product, double quantity, double unitPrice, double discount, byte channel)
    {
        _lines.Add(new Line(order, ticks, product, product < 0 ? _unknown : productCategory[product], quantity, unitPrice, discount, channel));
        if (order >= _orderCount) _orderCount = order + 1;
    }

    public void Clear()
    {
        _lines.Clear();
        _orderIds.Clear();
        _orderCount = 0;
    }

    public CustomerFeatureSummary Compute(string customerId, DateOnly today, TimeZoneInfo? zone)
    {
        var orderCount = _orderCount;
        EnsureCapacity(orderCount, _lines.Count);
        Array.Clear(_categoryGross);
        Array.Clear(_categoryNet);
        Array.Clear(_categorySeen);
        Array.Fill(_categoryLast, long.MinValue);
        Array.Clear(_categoryOrder, 0, (categories.Count + 1) * orderCount);
        Array.Fill(_orderFirst, long.MaxValue, 0, orderCount);
        Array.Clear(_orderChannels, 0, orderCount);

        double gross = 0, returnsAmount = 0, discounted = 0;
        long first = long.MaxValue, last = long.MinValue;
        var dayCount = 0;
        foreach (var line in _lines)
        {
            var amount = line.Amount;
            if (line.Quantity != 0)
            {
                _categoryNet[line.Category] += amount;
                _categorySeen[line.Category] = true;
            }
            if (line.Quantity < 0) returnsAmount += amount;
            if (line.Quantity <= 0) continue;

            gross += amount;
            if (line.Discount > 0) discounted += amount;
            if (line.Ticks < first) first = line.Ticks;
            if (line.Ticks > last) last = line.Ticks;
            if (line.Ticks < _orderFirst[line.Order]) _orderFirst[line.Order] = line.Ticks;
            if (line.Channel != NoChannel) _orderChannels[line.Order] |= (byte)(1 << line.Channel);
            _categoryGross[line.Category] += amount;
            _categoryOrder[line.Category * orderCount + line.Order] = true;
            if (line.Ticks > _categoryLast[line.Category]) _categoryLast[line.Category] = line.Ticks;
            var day = (int)(line.Ticks / TimeSpan.TicksPerDay);
            if (day <= today.DayNumber) _days[dayCount++] = (day, amount, line.Product, line.Category);
        }
        var returns = 0 - returnsAmount;

        long orders = 0, storeOrders = 0, webOrders = 0, appOrders = 0;
        Span<int> weekdays = stackalloc int[7];
        Span<int> dayparts = stackalloc int[3];
        for (var o = 0; o < orderCount; o++)
        {
            if (_orderFirst[o] == long.MaxValue) continue;
            orders++;
            if ((_orderChannels[o] & (1 << Store)) != 0) storeOrders++;
            if ((_orderChannels[o] & (1 << Web)) != 0) webOrders++;
            if ((_orderChannels[o] & (1 << App)) != 0) appOrders++;
            var utc = new DateTime(_orderFirst[o], DateTimeKind.Utc);
            var local = zone is null ? utc : TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
            weekdays[((int)local.DayOfWeek + 6) % 7]++;
            dayparts[Dayparts.All.IndexOf(Dayparts.Of(local.Hour))]++;
        }

        var activity = new List<CategoryActivity>();
        for (var c = 0; c <= categories.Count; c++)
        {
            if (!_categorySeen[c]) continue;
            long categoryOrders = 0;
            for (var o = 0; o < orderCount; o++)
            {
                if (_categoryOrder[c * orderCount + o]) categoryOrders++;
            }
            if (categoryOrders == 0) continue;
            activity.Add(new CategoryActivity(c == _unknown ? UnknownCategory : categories[c], _categoryNet[c],
                gross > 0 ? _categoryGross[c] / gross : 0, categoryOrders, new DateTime(_categoryLast[c], DateTimeKind.Utc)));
        }
        activity.Sort(static (a, b) => b.Share != a.Share ? b.Share.CompareTo(a.Share) : string.CompareOrdinal(a.Category, b.Category));

        DateTime? firstAt = orders > 0 ? new DateTime(first, DateTimeKind.Utc) : null;
        DateTime? lastAt = orders > 0 ? new DateTime(last, DateTimeKind.Utc) : null;
        double? meanGap = orders >= 2 ? (lastAt!.Value - firstAt!.Value).TotalDays / (orders - 1) : null;

        return new CustomerFeatureSummary(
            customerId, orders, gross, returns, gross - returns,
            orders > 0 ? gross / orders : null,
            firstAt, lastAt,
            lastAt is { } l ? today.DayNumber - DateOnly.FromDateTime(l).DayNumber : null,
            firstAt is { } f ? today.DayNumber - DateOnly.FromDateTime(f).DayNumber : null,
            meanGap,
            meanGap is { } gap ? lastAt!.Value.AddDays(gap) : null,
            activity.ToArray(),
            gross > 0 ? discounted / gross : null,
            orders > 0 ? (double)storeOrders / orders : null,
            orders > 0 ? (double)webOrders / orders : null,
            orders > 0 ? (double)appOrders / orders : null,
            orders > 0 ? ArgMax(weekdays) : null,
            orders > 0 ? Dayparts.All[ArgMax(dayparts)] : null,
            gross > 0 ? returns / gross : null,
            Repeat(dayCount, today, out var spend),
            spend,
            First(dayCount));
    }

    private RepeatHistory? Repeat(int dayCount, DateOnly today, out SpendHistory? spend)
    {
        spend = null;
        if (dayCount == 0) return null;
        var days = _days.AsSpan(0, dayCount);
        days.Sort(static (a, b) => a.Day.CompareTo(b.Day));
        int distinct = 0, firstDay = days[0].Day, lastDay = firstDay;
        var previous = int.MinValue;
        foreach (var (day, _, _, _) in days)
        {
            if (day != previous)
            {
                distinct++;
                previous = day;
                lastDay = day;
            }
        }
        var x = distinct - 1;
        if (x >= 1) spend = new SpendHistory(x, RepeatMean(days, firstDay, x));
        return new RepeatHistory(x, (lastDay - firstDay) / FeatureCalculator.DaysPerWeek, (today.DayNumber - firstDay + 1) / FeatureCalculator.DaysPerWeek);
    }

    // The mean over repeat days of each day's total, summed day by day as the reference does.
    private static double RepeatMean(Span<(int Day, double Value, int Product, int Category)> days, int firstDay, int repeatDays)
    {
        double total = 0, dayTotal = 0;
        var current = int.MinValue;
        foreach (var (day, value, _, _) in days)
        {
            if (day == firstDay) continue;
            if (day != current)
            {
                if (current != int.MinValue) total += dayTotal;
                current = day;
                dayTotal = 0;
            }
            dayTotal += value;
        }
        if (current != int.MinValue) total += dayTotal;
        return total / repeatDays;
    }

    // Uses _days as sorted by Repeat.
    private FirstPurchase? First(int dayCount)
    {
        if (dayCount == 0) return null;
        var days = _days.AsSpan(0, dayCount);
        var firstDay = days[0].Day;
        var firstCategories = new SortedSet<string>(StringComparer.Ordinal);
        var firstSkus = new SortedSet<string>(StringComparer.Ordinal);
        var i = 0;
        for (; i < days.Length && days[i].Day == firstDay; i++)
        {
            firstCategories.Add(CategoryName(days[i].Category));
            if (days[i].Product >= 0) firstSkus.Add(skus[days[i].Product]);
        }
        int? secondDay = i < days.Length ? days[i].Day : null;

        var steps = new List<CategoryStep>();
        var previous = firstCategories.ToList();
        var current = new SortedSet<string>(StringComparer.Ordinal);
        while (i < days.Length)
        {
            var day = days[i].Day;
            current.Clear();
            for (; i < days.Length && days[i].Day == day; i++) current.Add(CategoryName(days[i].Category));
            foreach (var from in previous)
            {
                foreach (var to in current) steps.Add(new CategoryStep(from, to));
            }
            previous = current.ToList();
        }
        return new FirstPurchase(DateOnly.FromDayNumber(firstDay), firstCategories.ToArray(), firstSkus.ToArray(),
            secondDay is { } s ? DateOnly.FromDayNumber(s) : null, steps);
    }

    private string CategoryName(int category) => category == _unknown ? UnknownCategory : categories[category];

    private static int ArgMax(Span<int> counts)
    {
        var best = 0;
        for (var i = 1; i < counts.Length; i++)
        {
            if (counts[i] > counts[best]) best = i;
        }
        return best;
    }

    private void EnsureCapacity(int orders, int lines)
    {
        if (_orderFirst.Length < orders)
        {
            var size = Math.Max(orders, _orderFirst.Length * 2);
            _orderFirst = new long[size];
            _orderChannels = new byte[size];
        }
        if (_categoryOrder.Length < (categories.Count + 1) * orders) _categoryOrder = new bool[(categories.Count + 1) * Math.Max(orders, 64) * 2];
        if (_days.Length < lines) _days = new (int, double, int, int)[Math.Max(lines, _days.Length * 2)];
    }
}
