namespace FundingPortal.Core.Domain;

/// <summary>
/// Rows two people may change at once. <see cref="Version"/> is the optimistic concurrency token on both providers;
/// the context bumps it on every update so the second writer gets a conflict instead of silently winning.
/// </summary>
public interface IVersioned
{
    int Version { get; set; }
}
