namespace Workbench.Core.Playbook;

public sealed record ProductInfo(string Sku, string Name, string? Category, double? Price);

// Support, confidence and lift are those of the pair (the customer's item → this one) for bought-together; for a best
// seller Support is the share of orders holding it.
public sealed record RecommendedProduct(string Sku, string Name, string? Category, double? Price, double? Support, double? Confidence, double? Lift, string Because);

// The products and the basket model the recommendation rules read; best sellers per category are ranked once.
public sealed class ProductCatalog
{
    private readonly Dictionary<string, List<string>> _bestByCategory;

    public ProductCatalog(IEnumerable<ProductInfo> products, CoOccurrenceModel model)
    {
        Products = products.ToDictionary(p => p.Sku, StringComparer.Ordinal);
        Model = model;
        _bestByCategory = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (sku, orders) in model.BestSellers())
        {
            if (orders == 0 || !Products.TryGetValue(sku, out var p) || p.Category is null) continue;
            if (!_bestByCategory.TryGetValue(p.Category, out var list)) _bestByCategory[p.Category] = list = [];
            list.Add(sku);
        }
    }

    public IReadOnlyDictionary<string, ProductInfo> Products { get; }
    public CoOccurrenceModel Model { get; }

    public IReadOnlyList<string> BestSellers(string category) => _bestByCategory.TryGetValue(category, out var l) ? l : [];
}

// Always leaves out what the customer already bought (every sku in the snapshot's purchases, returns aside).
public static class Recommender
{
    public static IReadOnlyList<RecommendedProduct> Resolve(RecommendationSlot slot, CustomerSnapshot customer, ProductCatalog catalog)
    {
        var bought = customer.Purchases.Where(p => p.Quantity > 0).Select(p => p.Sku).ToHashSet(StringComparer.Ordinal);
        var count = Math.Max(0, slot.Count);
        return slot.Rule switch
        {
            RecommendationRule.BoughtTogether => BoughtTogether(slot, customer, catalog, bought, count),
            RecommendationRule.TopCategoryBestSellers => BestSellers(customer, catalog, bought, count),
            RecommendationRule.FixedList => (slot.FixedSkus ?? [])
                .Where(s => !bought.Contains(s) && catalog.Products.ContainsKey(s)).Distinct(StringComparer.Ordinal).Take(count)
                .Select(s => Product(catalog.Products[s], null, null, null, "chosen by the play")).ToList(),
            _ => [],
        };
    }

    private static List<RecommendedProduct> BoughtTogether(RecommendationSlot slot, CustomerSnapshot customer, ProductCatalog catalog, HashSet<string> bought, int count)
    {
        var best = new Dictionary<string, PairStats>(StringComparer.Ordinal);
        foreach (var sku in customer.LastOrder().Select(l => l.Sku).Distinct(StringComparer.Ordinal))
        {
            foreach (var pair in catalog.Model.With(sku))
            {
                if (pair.Support < slot.MinSupport || bought.Contains(pair.To) || !catalog.Products.ContainsKey(pair.To)) continue;
                if (!best.TryGetValue(pair.To, out var held) || Better(pair, held)) best[pair.To] = pair;
            }
        }
        return best.Values
            .OrderByDescending(p => p.Confidence).ThenByDescending(p => p.Lift).ThenBy(p => p.To, StringComparer.Ordinal)
            .Take(count)
            .Select(p => Product(catalog.Products[p.To], p.Support, p.Confidence, p.Lift, $"bought with {p.From} in {p.Orders} orders"))
            .ToList();
    }

    private static bool Better(PairStats a, PairStats b) =>
        a.Confidence > b.Confidence || (a.Confidence == b.Confidence && (a.Lift > b.Lift || (a.Lift == b.Lift && string.CompareOrdinal(a.From, b.From) < 0)));

    private static List<RecommendedProduct> BestSellers(CustomerSnapshot customer, ProductCatalog catalog, HashSet<string> bought, int count)
    {
        if (customer.Features?.TopCategory1 is not { Length: > 0 } category) return [];
        return catalog.BestSellers(category).Where(s => !bought.Contains(s)).Take(count)
            .Select(s => Product(catalog.Products[s], (double)catalog.Model.OrdersWith(s) / catalog.Model.Orders, null, null,
                $"a best seller in {category} ({catalog.Model.OrdersWith(s)} orders)"))
            .ToList();
    }

    private static RecommendedProduct Product(ProductInfo p, double? support, double? confidence, double? lift, string because) =>
        new(p.Sku, p.Name, p.Category, p.Price, support, confidence, lift, because);
}
