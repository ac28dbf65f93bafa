namespace Workbench.Tests.TestSupport;

// The real app on a store that stays empty (no sample data), for the empty states of pages.
public sealed class EmptyAppFixture : AppFixture
{
    protected override bool LoadSampleData => false;
}

[CollectionDefinition(Name)]
public sealed class EmptyAppCollection : ICollectionFixture<EmptyAppFixture>
{
    public const string Name = "empty-app";
}
