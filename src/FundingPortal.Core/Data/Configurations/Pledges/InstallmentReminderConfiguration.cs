namespace FundingPortal.Core.Data.Configurations;

internal sealed class InstallmentReminderConfiguration : IEntityTypeConfiguration<InstallmentReminder>
{
    public void Configure(EntityTypeBuilder<InstallmentReminder> builder)
    {
        builder.Property(r => r.SentTo).HasMaxLength(320);
        builder.HasOne<Installment>().WithMany().HasForeignKey(r => r.InstallmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.InstallmentId, r.Stage }).IsUnique();
    }
}
