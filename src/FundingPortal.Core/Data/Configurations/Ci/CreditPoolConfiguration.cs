namespace FundingPortal.Core.Data.Configurations;

internal sealed class CreditPoolConfiguration : IEntityTypeConfiguration<CreditPool>
{
    public void Configure(EntityTypeBuilder<CreditPool> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.HasOne<CiProvider>().WithMany().HasForeignKey(p => p.ProviderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Pledge>().WithMany().HasForeignKey(p => p.PledgeId).OnDelete(DeleteBehavior.Restrict);
    }
}
