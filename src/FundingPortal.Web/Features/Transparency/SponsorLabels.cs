namespace FundingPortal.Web.Features.Transparency;

/// <summary>
/// How the public names a sponsor: a sponsor listed by name under its name; an anonymous one under one stable label of its own,
/// "Anonymous sponsor N" (N never changes for that organisation), the same on every page and export; a payment whose counterparty an
/// admin hid, and the pledge it paid, under "Undisclosed" — one sponsor in every total, so the hidden part cannot be worked out by
/// subtracting the named lines from a sponsor's published total.
/// </summary>
public static class SponsorLabels
{
    public const string AnonymousPrefix = "Anonymous sponsor ";

    public const string Undisclosed = "Undisclosed";

    public static string Of(int organisationId, string name, PublicListing listing) =>
        listing == PublicListing.ByName ? name : AnonymousPrefix + organisationId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The pledges paid by a payment with a hidden line: they are published as "Undisclosed" with their installments.</summary>
    public static IQueryable<int> UndisclosedPledges(AppDbContext db) =>
        from payment in db.Payments
        where payment.PledgeId != null && db.LedgerEntries.Any(e => e.PaymentId == payment.Id && e.CounterpartyHidden)
        select payment.PledgeId!.Value;
}
