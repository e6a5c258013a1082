using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FundingPortal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CardPaymentsCiCostsPublicPage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ImportBatches_FileSha256",
                table: "ImportBatches");

            migrationBuilder.AddColumn<int>(
                name: "CheckoutAttempt",
                table: "Pledges",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "CheckoutStartedAt",
                table: "Pledges",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastCheckoutSessionId",
                table: "Pledges",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PaymentRequestedAt",
                table: "Pledges",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FlagReason",
                table: "Payments",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "CounterpartyHidden",
                table: "LedgerEntries",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "FailureReason",
                table: "ImportBatches",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RowsAlreadyStored",
                table: "ImportBatches",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "RowsNotMinutes",
                table: "ImportBatches",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "CiJobTimeouts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ProviderId = table.Column<int>(type: "INTEGER", nullable: false),
                    Project = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    JobName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TimeoutMinutes = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CiJobTimeouts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CiJobTimeouts_CiProviders_ProviderId",
                        column: x => x.ProviderId,
                        principalTable: "CiProviders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RefundRequests",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PaymentId = table.Column<int>(type: "INTEGER", nullable: false),
                    AmountMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    RequestedByUserId = table.Column<string>(type: "TEXT", nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StripeRefundId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RefundRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RefundRequests_Payments_PaymentId",
                        column: x => x.PaymentId,
                        principalTable: "Payments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Pledges_LastCheckoutSessionId",
                table: "Pledges",
                column: "LastCheckoutSessionId");

            migrationBuilder.CreateIndex(
                name: "IX_ImportBatches_FileSha256",
                table: "ImportBatches",
                column: "FileSha256",
                unique: true,
                filter: "\"Status\" IN ('Running', 'Completed')");

            migrationBuilder.CreateIndex(
                name: "IX_CiUsageRecords_ProviderId_Project_JobName_StartedAt_DurationSeconds_Status",
                table: "CiUsageRecords",
                columns: new[] { "ProviderId", "Project", "JobName", "StartedAt", "DurationSeconds", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_CiJobTimeouts_ProviderId_Project_JobName",
                table: "CiJobTimeouts",
                columns: new[] { "ProviderId", "Project", "JobName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RefundRequests_PaymentId",
                table: "RefundRequests",
                column: "PaymentId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CiJobTimeouts");

            migrationBuilder.DropTable(
                name: "RefundRequests");

            migrationBuilder.DropIndex(
                name: "IX_Pledges_LastCheckoutSessionId",
                table: "Pledges");

            migrationBuilder.DropIndex(
                name: "IX_ImportBatches_FileSha256",
                table: "ImportBatches");

            migrationBuilder.DropIndex(
                name: "IX_CiUsageRecords_ProviderId_Project_JobName_StartedAt_DurationSeconds_Status",
                table: "CiUsageRecords");

            migrationBuilder.DropColumn(
                name: "CheckoutAttempt",
                table: "Pledges");

            migrationBuilder.DropColumn(
                name: "CheckoutStartedAt",
                table: "Pledges");

            migrationBuilder.DropColumn(
                name: "LastCheckoutSessionId",
                table: "Pledges");

            migrationBuilder.DropColumn(
                name: "PaymentRequestedAt",
                table: "Pledges");

            migrationBuilder.DropColumn(
                name: "FlagReason",
                table: "Payments");

            migrationBuilder.DropColumn(
                name: "CounterpartyHidden",
                table: "LedgerEntries");

            migrationBuilder.DropColumn(
                name: "FailureReason",
                table: "ImportBatches");

            migrationBuilder.DropColumn(
                name: "RowsAlreadyStored",
                table: "ImportBatches");

            migrationBuilder.DropColumn(
                name: "RowsNotMinutes",
                table: "ImportBatches");

            migrationBuilder.CreateIndex(
                name: "IX_ImportBatches_FileSha256",
                table: "ImportBatches",
                column: "FileSha256",
                unique: true);
        }
    }
}
