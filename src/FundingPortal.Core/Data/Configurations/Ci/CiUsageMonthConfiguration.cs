namespace FundingPortal.Core.Data.Configurations;

internal sealed class CiUsageMonthConfiguration : IEntityTypeConfiguration<CiUsageMonth>
{
    public void Configure(EntityTypeBuilder<CiUsageMonth> builder)
    {
        builder.Property(m => m.Project).HasMaxLength(200);
        builder.Property(m => m.JobName).HasMaxLength(200);
        builder.Property(m => m.Currency).HasMaxLength(3);
        builder.Property(m => m.RawMinutes).HasPrecision(20, 4);
        builder.Property(m => m.QuotaMinutes).HasPrecision(20, 4);
        builder.Property(m => m.Credits).HasPrecision(20, 4);
        builder.HasOne<CiProvider>().WithMany().HasForeignKey(m => m.ProviderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => new { m.ProviderId, m.Month, m.Project, m.JobName, m.Status, m.IsRetry, m.Currency }).IsUnique();
        builder.HasIndex(m => m.Month);
    }
}
