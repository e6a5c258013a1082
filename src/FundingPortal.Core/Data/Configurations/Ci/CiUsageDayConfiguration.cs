namespace FundingPortal.Core.Data.Configurations;

internal sealed class CiUsageDayConfiguration : IEntityTypeConfiguration<CiUsageDay>
{
    public void Configure(EntityTypeBuilder<CiUsageDay> builder)
    {
        builder.Property(d => d.QuotaMinutes).HasPrecision(20, 4);
        builder.Property(d => d.Credits).HasPrecision(20, 4);
        builder.HasOne<CiProvider>().WithMany().HasForeignKey(d => d.ProviderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => new { d.ProviderId, d.Day }).IsUnique();
    }
}
