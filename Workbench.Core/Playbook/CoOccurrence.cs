using System.Runtime.InteropServices;

namespace Workbench.Core.Playbook;

// Baskets → how often items are bought together. With N orders, n(A) orders holding A and n(AB) holding both:
// support(A,B) = n(AB) / N, confidence(A→B) = n(AB) / n(A), lift(A,B) = confidence(A→B) / (n(B) / N).
// An order counts an item once however many lines or units it holds.
public sealed class CoOccurrenceModel
{
    private readonly Dictionary<string, int> _index;
    private readonly string[] _skus;
    private readonly int[] _itemOrders;
    private readonly Dictionary<int, List<(int Other, int Count)>> _neighbours;

    internal CoOccurrenceModel(string[] skus, int[] itemOrders, IEnumerable<KeyValuePair<long, int>> pairs, long orders, double minSupport)
    {
        _skus = skus;
        _itemOrders = itemOrders;
        Orders = orders;
        MinSupport = minSupport;
        _index = new Dictionary<string, int>(skus.Length, StringComparer.Ordinal);
        for (var i = 0; i < skus.Length; i++) _index[skus[i]] = i;
        _neighbours = [];
        var minCount = orders == 0 ? long.MaxValue : (long)Math.Ceiling(minSupport * orders - 1e-9);
        foreach (var (key, count) in pairs)
        {
            if (count < Math.Max(1, minCount)) continue;
            var a = (int)(key >> 32);
            var b = (int)(key & 0xffffffff);
            Neighbours(a).Add((b, count));
            Neighbours(b).Add((a, count));
            PairCount++;
        }
    }

    private List<(int, int)> Neighbours(int item)
    {
        ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(_neighbours, item, out _);
        return list ??= [];
    }

    public long Orders { get; }
    public double MinSupport { get; }
    public int PairCount { get; }
    public IReadOnlyList<string> Skus => _skus;

    public int OrdersWith(string sku) => _index.TryGetValue(sku, out var i) ? _itemOrders[i] : 0;

    public int OrdersWithBoth(string a, string b)
    {
        if (!_index.TryGetValue(a, out var i) || !_index.TryGetValue(b, out var j) || !_neighbours.TryGetValue(i, out var list)) return 0;
        foreach (var (other, count) in list) if (other == j) return count;
        return 0;
    }

    public PairStats? Pair(string a, string b)
    {
        var both = OrdersWithBoth(a, b);
        return both == 0 ? null : Stats(a, b, both);
    }

    private PairStats Stats(string a, string b, int both)
    {
        var na = OrdersWith(a);
        var nb = OrdersWith(b);
        var support = (double)both / Orders;
        var confidence = (double)both / na;
        return new PairStats(a, b, both, support, confidence, confidence / ((double)nb / Orders));
    }

    // Items bought with A at or above the minimum support, by confidence, then lift, then sku.
    public IReadOnlyList<PairStats> With(string sku)
    {
        if (!_index.TryGetValue(sku, out var i) || !_neighbours.TryGetValue(i, out var list)) return [];
        return list.Select(x => Stats(sku, _skus[x.Other], x.Count))
            .OrderByDescending(p => p.Confidence).ThenByDescending(p => p.Lift).ThenBy(p => p.To, StringComparer.Ordinal).ToList();
    }

    // Items by the number of orders that hold them, most first (ties by sku).
    public IEnumerable<(string Sku, int Orders)> BestSellers() =>
        Enumerable.Range(0, _skus.Length).Select(i => (_skus[i], _itemOrders[i]))
            .OrderByDescending(x => x.Item2).ThenBy(x => x.Item1, StringComparer.Ordinal);
}

// What a pass over the baskets counted, before any minimum support: item i (Skus[i]) is in ItemOrders[i] orders; a pair key is
// (i << 32) | j with i < j. The basket-model job stores these and the preview builds the model from them.
public sealed record BasketCounts(IReadOnlyList<string> Skus, IReadOnlyList<int> ItemOrders, IReadOnlyDictionary<long, int> Pairs,
    long Orders, long Lines, long SkippedBaskets, int MaxBasketItems)
{
    public static readonly BasketCounts Empty = new([], [], new Dictionary<long, int>(), 0, 0, 0, 0);

    public static long PairKey(int a, int b) => a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;

    // long's own hash is (low ^ high): for two small ids that is a ^ b, a few hundred distinct codes for tens of
    // thousands of pairs, and every lookup walks a long chain. Fibonacci hashing spreads them.
    public static readonly IEqualityComparer<long> PairKeys = new PairKeyComparer();

    private sealed class PairKeyComparer : IEqualityComparer<long>
    {
        public bool Equals(long x, long y) => x == y;
        public int GetHashCode(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 32);
    }

    public CoOccurrenceModel Model(double minSupport) => new([.. Skus], [.. ItemOrders], Pairs, Orders, minSupport);
}

public sealed record PairStats(string From, string To, int Orders, double Support, double Confidence, double Lift);

// One pass over order lines grouped by order (sorted by order id, as the store reads them): an order's distinct items
// are collected, then every pair of them counted once. Memory: one entry per distinct item and per distinct pair seen
// (a long key and an int), plus the current basket; never the lines. Order ids must come in ordinal order (the
// store's primary-key order), which also proves an order's lines were not split. An order with more than MaxBasketItems distinct
// items counts its items but not its pairs (a wholesale order would add n² pairs and says little about affinity).
public sealed class CoOccurrenceBuilder(int maxBasketItems = 100)
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _skus = [];
    private readonly List<int> _itemOrders = [];
    private readonly Dictionary<long, int> _pairs = new(BasketCounts.PairKeys);
    private readonly List<int> _basket = [];
    private string? _order;
    private string? _last;
    private long _orders;
    private long _lines;
    private byte[] _orderUtf8 = new byte[64];
    private int _orderUtf8Length = -1;
    private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>? _skuLookup;

    public int MaxBasketItems { get; } = maxBasketItems;
    public long SkippedBaskets { get; private set; }

    public void Add(string orderId, string sku)
    {
        if (!string.Equals(orderId, _order, StringComparison.Ordinal))
        {
            if (_last is not null && string.CompareOrdinal(orderId, _last) < 0)
                throw new InvalidOperationException($"order {orderId} comes after order {_last}: the lines must be sorted by order id");
            Close();
            _order = _last = orderId;
        }
        AddItem(Id(sku));
    }

    // The same as Add, straight from the store's UTF-8 bytes (the job's streaming pass): the order id is compared as bytes,
    // which orders as SQLite's BINARY collation does; a sku becomes a string once, the first time it is seen. One builder
    // takes either strings or bytes, not both.
    public void AddUtf8(ReadOnlySpan<byte> orderId, ReadOnlySpan<byte> sku)
    {
        var current = _orderUtf8.AsSpan(0, Math.Max(0, _orderUtf8Length));
        if (_orderUtf8Length < 0 || !orderId.SequenceEqual(current))
        {
            if (_orderUtf8Length >= 0 && orderId.SequenceCompareTo(current) < 0)
                throw new InvalidOperationException($"order {System.Text.Encoding.UTF8.GetString(orderId)} comes after order {System.Text.Encoding.UTF8.GetString(current)}: the lines must be sorted by order id");
            Close();
            if (orderId.Length > _orderUtf8.Length) _orderUtf8 = new byte[orderId.Length * 2];
            orderId.CopyTo(_orderUtf8);
            _orderUtf8Length = orderId.Length;
            _order = "";
        }
        Span<char> chars = sku.Length <= 256 ? stackalloc char[sku.Length] : new char[sku.Length];
        chars = chars[..System.Text.Encoding.UTF8.GetChars(sku, chars)];
        _skuLookup ??= _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        AddItem(_skuLookup.Value.TryGetValue(chars, out var known) ? known : Id(new string(chars)));
    }

    private int Id(string sku)
    {
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, sku, out var exists);
        if (!exists)
        {
            id = _skus.Count;
            _skus.Add(sku);
            _itemOrders.Add(0);
        }
        return id;
    }

    private void AddItem(int id)
    {
        _lines++;
        if (!_basket.Contains(id)) _basket.Add(id);
    }

    private void Close()
    {
        if (_order is null) return;
        _orders++;
        foreach (var i in _basket) _itemOrders[i]++;
        if (_basket.Count > MaxBasketItems)
        {
            SkippedBaskets++;
        }
        else
        {
            _basket.Sort();
            for (var x = 0; x < _basket.Count; x++)
                for (var y = x + 1; y < _basket.Count; y++)
                    CollectionsMarshal.GetValueRefOrAddDefault(_pairs, ((long)_basket[x] << 32) | (uint)_basket[y], out _)++;
        }
        _basket.Clear();
        _order = null;
    }

    public CoOccurrenceModel Build(double minSupport) => Counts().Model(minSupport);

    // Ends the last basket; what was counted so far.
    public BasketCounts Counts()
    {
        Close();
        return new BasketCounts([.. _skus], [.. _itemOrders], _pairs, _orders, _lines, SkippedBaskets, MaxBasketItems);
    }

    public static CoOccurrenceModel FromBaskets(IEnumerable<(string OrderId, string Sku)> lines, double minSupport)
    {
        var builder = new CoOccurrenceBuilder();
        foreach (var (order, sku) in lines.OrderBy(l => l.OrderId, StringComparer.Ordinal)) builder.Add(order, sku);
        return builder.Build(minSupport);
    }
}
