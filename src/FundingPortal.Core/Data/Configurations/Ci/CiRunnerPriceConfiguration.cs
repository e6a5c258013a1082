namespace FundingPortal.Core.Data.Configurations;

internal sealed class CiRunnerPriceConfiguration : IEntityTypeConfiguration<CiRunnerPrice>
{
    public void Configure(EntityTypeBuilder<CiRunnerPrice> builder)
    {
        builder.Property(p => p.RunnerType).HasMaxLength(100);
        builder.Property(p => p.PricePerMinute).HasPrecision(18, 6);
        builder.Property(p => p.PricePerCredit).HasPrecision(18, 8);
        builder.HasIndex(p => new { p.ProviderId, p.RunnerType, p.ValidFrom }).IsUnique();
    }
}
