namespace FundingPortal.Core.Data.Configurations;

internal sealed class CiJobTimeoutConfiguration : IEntityTypeConfiguration<CiJobTimeout>
{
    public void Configure(EntityTypeBuilder<CiJobTimeout> builder)
    {
        builder.Property(t => t.Project).HasMaxLength(200);
        builder.Property(t => t.JobName).HasMaxLength(200);
        builder.HasOne<CiProvider>().WithMany().HasForeignKey(t => t.ProviderId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => new { t.ProviderId, t.Project, t.JobName }).IsUnique();
    }
}
