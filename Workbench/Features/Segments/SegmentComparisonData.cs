using Workbench.Core.Segments;
using Workbench.Core.Segments.Rules;

namespace Workbench.Features.Segments;

public sealed record SegmentComparisonData(IReadOnlyList<SegmentSummary> Segments, long[,] Overlap, IReadOnlyList<SegmentKpis> Kpis)
{
    public static async Task<SegmentComparisonData> LoadAsync(SegmentService service, IReadOnlyList<SegmentSummary> segments, CancellationToken ct = default)
    {
        var overlap = await service.OverlapAsync([.. segments.Select(s => s.Id)], ct);
        var kpis = new List<SegmentKpis>();
        foreach (var s in segments)
        {
            var detail = await service.GetAsync(s.Id, ct);
            kpis.Add(await service.KpisAsync(RuleJson.Parse(detail!.RuleJson).Rule!, ct));
        }
        return new SegmentComparisonData(segments, overlap, kpis);
    }
}
