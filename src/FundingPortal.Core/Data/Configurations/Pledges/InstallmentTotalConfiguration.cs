namespace FundingPortal.Core.Data.Configurations;

internal sealed class InstallmentTotalConfiguration : IEntityTypeConfiguration<InstallmentTotal>
{
    public void Configure(EntityTypeBuilder<InstallmentTotal> builder)
    {
        builder.HasKey(t => new { t.FundId, t.PledgeKind, t.PledgeStatus, t.Status, t.Currency });
        builder.Property(t => t.Currency).HasMaxLength(3);
        builder.HasOne<Fund>().WithMany().HasForeignKey(t => t.FundId).OnDelete(DeleteBehavior.Restrict);
    }
}
