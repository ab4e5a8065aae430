output "url" {
  description = "The app's address, once DNS points at the Elastic IP and Caddy has its certificate."
  value       = "https://${var.domain_name}"
}

output "public_ip" {
  description = "Elastic IP of the instance: the A record of domain_name."
  value       = aws_eip.app.public_ip
}

output "instance_id" {
  description = "The instance, for SSM sessions (aws ssm start-session --target ...) and the DEPLOY_INSTANCE_ID GitHub variable."
  value       = aws_instance.app.id
}

output "deploy_role_arn" {
  description = "Role GitHub Actions assumes through OIDC: the AWS_DEPLOY_ROLE_ARN GitHub variable."
  value       = aws_iam_role.deploy.arn
}

output "secret_arn" {
  description = "Secrets Manager secret the app reads at start-up."
  value       = aws_secretsmanager_secret.app.arn
}

output "ecr_repository_url" {
  description = "ECR repository for the image (image_registry = ecr), else empty: the ECR_REPOSITORY GitHub variable."
  value       = local.registry_ecr ? aws_ecr_repository.app[0].repository_url : ""
}

output "log_group" {
  description = "CloudWatch log group with the app's and Caddy's logs."
  value       = aws_cloudwatch_log_group.app.name
}
