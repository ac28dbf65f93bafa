using Workbench.Core.Data;

namespace Workbench.Core.Analytics.CustomerFeatures;

// What the feature rebuild knows about one customer, for the profile.
public sealed record CustomerFeatureCard(
    string? RfmCell, int? RScore, int? FScore, int? MScore,
    double? ProbabilityAlive, double? ExpectedPurchases52w, double? PredictedValue12m,
    IReadOnlyList<string> TopCategories, DateTime ComputedAt);

// How many buyers have each R, F and M score (1–5) and each RFM cell, so a score nobody has shows before a segment uses it.
public sealed record RfmDistribution(long Buyers, IReadOnlyList<long> R, IReadOnlyList<long> F, IReadOnlyList<long> M,
    IReadOnlyList<(string Cell, long Customers)> Cells);

public sealed partial class FeatureService
{
    public async Task<CustomerFeatureCard?> ForCustomerAsync(string customerId, CancellationToken ct = default)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var command = connection.Command(
            "SELECT rfm_cell, r_score, f_score, m_score, probability_alive, expected_purchases_52w, predicted_value_12m, " +
            "top_category_1, top_category_2, top_category_3, computed_at FROM customer_features WHERE customer_id = $id", ("$id", customerId));
        await using var r = await command.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        int? Int(int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
        double? Real(int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
        var categories = new[] { r.Text(7), r.Text(8), r.Text(9) }.OfType<string>().ToList();
        return new CustomerFeatureCard(r.Text(0), Int(1), Int(2), Int(3), Real(4), Real(5), Real(6), categories, r.Time(10)!.Value);
    }

    public async Task<RfmDistribution> RfmDistributionAsync(CancellationToken ct = default)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        var scores = new[] { new long[5], new long[5], new long[5] };
        var columns = new[] { "r_score", "f_score", "m_score" };
        for (var k = 0; k < 3; k++)
        {
            await using var command = connection.Command(
                $"SELECT {columns[k]}, COUNT(*) FROM customer_features WHERE {columns[k]} BETWEEN 1 AND 5 GROUP BY 1");
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) scores[k][r.GetInt32(0) - 1] = r.GetInt64(1);
        }
        var cells = new List<(string, long)>();
        await using (var command = connection.Command(
            "SELECT rfm_cell, COUNT(*) FROM customer_features WHERE rfm_cell IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1"))
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) cells.Add((r.GetString(0), r.GetInt64(1)));
        }
        return new RfmDistribution(scores[0].Sum(), scores[0], scores[1], scores[2], cells);
    }
}
