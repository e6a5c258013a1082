using System.Globalization;

namespace FundingPortal.Core.Domain;

/// <summary>
/// A quantity of engineer time, held as whole minutes so sums stay exact in the database.
/// </summary>
public readonly record struct Hours(long Minutes) : IComparable<Hours>
{
    public static Hours Zero => new(0);

    public static Hours FromHours(decimal hours) => new((long)decimal.Round(hours * 60, MidpointRounding.AwayFromZero));

    public decimal TotalHours => Minutes / 60m;

    public static Hours operator +(Hours left, Hours right) => new(checked(left.Minutes + right.Minutes));

    public static Hours operator -(Hours left, Hours right) => new(checked(left.Minutes - right.Minutes));

    public static bool operator <(Hours left, Hours right) => left.Minutes < right.Minutes;

    public static bool operator >(Hours left, Hours right) => left.Minutes > right.Minutes;

    public static bool operator <=(Hours left, Hours right) => left.Minutes <= right.Minutes;

    public static bool operator >=(Hours left, Hours right) => left.Minutes >= right.Minutes;

    public Hours Add(Hours other) => this + other;

    public Hours Subtract(Hours other) => this - other;

    public int CompareTo(Hours other) => Minutes.CompareTo(other.Minutes);

    public override string ToString() => TotalHours.ToString("0.##", CultureInfo.InvariantCulture) + " h";
}
