terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.70"
    }
  }

  # Remote state for a team: keep it in a versioned, encrypted S3 bucket with locking. Create the bucket once
  # (see docs/deploy.md), uncomment, then `terraform init -migrate-state`. The state holds the secret's
  # value, so the bucket must stay private.
  #
  # backend "s3" {
  #   bucket       = "logsentry-terraform-state-123456789012"
  #   key          = "logsentry/terraform.tfstate"
  #   region       = "eu-central-1"
  #   encrypt      = true
  #   use_lockfile = true # S3-native locking (Terraform 1.10+); older versions: dynamodb_table = "terraform-locks"
  # }
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Project   = var.name
      ManagedBy = "terraform"
    }
  }
}
