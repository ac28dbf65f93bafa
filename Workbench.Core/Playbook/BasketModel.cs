using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Playbook;

// The stored basket model the basket-model job writes (one row, id 1): what the item and pair counts were built from.
public sealed class BasketModelRow
{
    public int Id { get; set; }
    // One more at every rebuild: what a reader's cache is keyed on (two rebuilds may share a clock reading).
    public long Generation { get; set; }
    public long Orders { get; set; }
    public long OrderLines { get; set; }
    public long SkippedBaskets { get; set; }
    public int MaxBasketItems { get; set; }
    public int Items { get; set; }
    public int Pairs { get; set; }
    public DateTime BuiltAt { get; set; }
    public double Seconds { get; set; }
}

// n(A): the orders holding the item.
public sealed class BasketItem
{
    public required string Sku { get; set; }
    public int Orders { get; set; }
}

// n(AB): the orders holding both, SkuA < SkuB (ordinal), every pair seen once or more (no minimum support: that is the reader's).
public sealed class BasketPair
{
    public required string SkuA { get; set; }
    public required string SkuB { get; set; }
    public int Orders { get; set; }
}

internal sealed class BasketModelRowConfiguration : IEntityTypeConfiguration<BasketModelRow>
{
    public void Configure(EntityTypeBuilder<BasketModelRow> b)
    {
        b.ToTable("basket_model");
        b.HasKey(m => m.Id);
        b.Property(m => m.Id).ValueGeneratedNever();
    }
}

internal sealed class BasketItemConfiguration : IEntityTypeConfiguration<BasketItem>
{
    public void Configure(EntityTypeBuilder<BasketItem> b)
    {
        b.ToTable("basket_items");
        b.HasKey(i => i.Sku);
    }
}

internal sealed class BasketPairConfiguration : IEntityTypeConfiguration<BasketPair>
{
    public void Configure(EntityTypeBuilder<BasketPair> b)
    {
        b.ToTable("basket_pairs");
        b.HasKey(p => new { p.SkuA, p.SkuB });
    }
}

// When and from what the stored model was built.
public sealed record BasketModelInfo(long Generation, DateTime BuiltAt, long Orders, long OrderLines, long SkippedBaskets, int Items, int Pairs, double Seconds);
