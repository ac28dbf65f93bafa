using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Workbench.Core.Analytics.Clv;

namespace Workbench.Core.Analytics.CustomerFeatures;

// The population-wide figures a customer's scores are measured against: the RFM cut points over all buyers and the
// fitted CLV parameters. Refitted by the full rebuild (daily, or on demand) and held fixed by the incremental path,
// so scoring one customer never needs the whole base.
public sealed record PopulationFigures(
    DateTime ComputedAt,
    long Buyers,
    double[] RecencyCuts,
    double[] FrequencyCuts,
    double[] MonetaryCuts,
    BgNbdParameters? Purchases,
    GammaGammaParameters? Spend)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static PopulationFigures? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<PopulationFigures>(json, Json);
}

// One row (id 1): the figures of the latest full rebuild.
public sealed class PopulationFiguresRow
{
    public long Id { get; set; }
    public DateTime ComputedAt { get; set; }
    public required string FiguresJson { get; set; }
}

internal sealed class PopulationFiguresRowConfiguration : IEntityTypeConfiguration<PopulationFiguresRow>
{
    public void Configure(EntityTypeBuilder<PopulationFiguresRow> b)
    {
        b.ToTable("population_figures");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedNever();
    }
}
