namespace FundingPortal.Web.Features.CiUsage;

/// <summary>What a parser needs besides the file: the batch, the provider(s) and their price books.</summary>
public sealed class ImportContext(int batchId, CiPriceBook? provider, IReadOnlyDictionary<string, CiPriceBook> providersByName)
{
    public int BatchId { get; } = batchId;

    /// <summary>The provider the file belongs to; for the generic CSV only the fallback when a row names none.</summary>
    public CiPriceBook? Provider { get; } = provider;

    public CiPriceBook? ByName(string name) => providersByName.GetValueOrDefault(name);
}
