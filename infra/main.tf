locals {
  registry_ecr = var.image_registry == "ecr"
  subnet_id    = var.subnet_id != "" ? var.subnet_id : sort(data.aws_subnets.default[0].ids)[0]
  log_group    = "/${var.name}/app"
  app_port     = 8080
  data_mount   = "/srv/${var.name}/data"
  ecr_registry = local.registry_ecr ? split("/", aws_ecr_repository.app[0].repository_url)[0] : ""
  web_ports    = { http = 80, https = 443 }
  # Workers need the queue's Redis: the instance runs one unless app_environment names another.
  redis_on_instance = var.worker_containers > 0 && !contains(keys(var.app_environment), "REDIS_URL")
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_ssm_parameter" "al2023" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

data "aws_vpc" "default" {
  count   = var.subnet_id == "" ? 1 : 0
  default = true
}

data "aws_subnets" "default" {
  count = var.subnet_id == "" ? 1 : 0

  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default[0].id]
  }

  filter {
    name   = "default-for-az"
    values = ["true"]
  }
}

data "aws_subnet" "selected" {
  id = local.subnet_id
}

# The web only: 80 for Let's Encrypt's HTTP challenge and the redirect, 443 for the app. No SSH: administration
# and deploys go through SSM.
resource "aws_security_group" "web" {
  name        = "${var.name}-web"
  description = "LogSentry: HTTP and HTTPS in, HTTP and HTTPS out"
  vpc_id      = data.aws_subnet.selected.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "http" {
  #checkov:skip=CKV_AWS_260:Port 80 must be open to the world: Let's Encrypt's HTTP-01 challenge and the redirect to HTTPS.
  security_group_id = aws_security_group.web.id
  description       = "HTTP from anywhere: certificate challenge, redirect to HTTPS"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.web.id
  description       = "HTTPS from anywhere"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

# Outbound: package repositories, the image registry, Let's Encrypt, SSM, Secrets Manager and CloudWatch all
# answer on 443 (80 for repository mirrors). DNS and NTP go to the VPC's own addresses, which security groups
# do not filter.
resource "aws_vpc_security_group_egress_rule" "web" {
  for_each = local.web_ports

  security_group_id = aws_security_group.web.id
  description       = "${upper(each.key)} to anywhere"
  ip_protocol       = "tcp"
  from_port         = each.value
  to_port           = each.value
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_instance" "app" {
  #checkov:skip=CKV_AWS_88:A public web server; its security group admits only 80 and 443. The public address is needed at first boot, before the Elastic IP is attached.
  ami                         = data.aws_ssm_parameter.al2023.value
  instance_type               = var.instance_type
  subnet_id                   = local.subnet_id
  vpc_security_group_ids      = [aws_security_group.web.id]
  iam_instance_profile        = aws_iam_instance_profile.app.name
  associate_public_ip_address = true
  monitoring                  = true
  ebs_optimized               = true
  user_data_replace_on_change = true

  # Hop limit 1: only the host (Docker, and containers on the host network) reaches the instance metadata.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  root_block_device {
    encrypted             = true
    volume_type           = "gp3"
    volume_size           = var.root_volume_size_gb
    delete_on_termination = true
  }

  user_data = templatefile("${path.module}/user_data.sh.tftpl", {
    name            = var.name
    aws_region      = var.aws_region
    domain_name     = var.domain_name
    acme_email      = var.acme_email
    image           = var.container_image
    ecr_registry    = local.ecr_registry
    secret_id       = aws_secretsmanager_secret.app.arn
    log_group       = aws_cloudwatch_log_group.app.name
    app_port        = local.app_port
    data_mount      = local.data_mount
    data_volume_id  = aws_ebs_volume.data.id
    app_environment = var.app_environment
    workers         = var.worker_containers
    local_redis_url = local.redis_on_instance ? "redis://127.0.0.1:6379/0" : ""
  })

  tags = {
    Name = var.name
  }

  # A newer Amazon Linux image should not replace the instance on every apply; replace it deliberately.
  lifecycle {
    ignore_changes = [ami]
  }
}

# The app's data lives on its own volume so that replacing the instance keeps the database and sessions.
resource "aws_ebs_volume" "data" {
  #checkov:skip=CKV_AWS_189:AWS-managed encryption at rest is on; a customer-managed KMS key would add a key policy and cost without narrowing who can read, which IAM already scopes.
  availability_zone = data.aws_subnet.selected.availability_zone
  size              = var.data_volume_size_gb
  type              = "gp3"
  encrypted         = true

  tags = {
    Name = "${var.name}-data"
  }
}

resource "aws_volume_attachment" "data" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.data.id
  instance_id = aws_instance.app.id
  # A clean detach when the instance is replaced: the mounted file system is not pulled from under the app.
  stop_instance_before_detaching = true
}

resource "aws_eip" "app" {
  domain   = "vpc"
  instance = aws_instance.app.id

  tags = {
    Name = var.name
  }
}

resource "aws_route53_record" "app" {
  count = var.route53_zone_id != "" ? 1 : 0

  zone_id = var.route53_zone_id
  name    = var.domain_name
  type    = "A"
  ttl     = 300
  records = [aws_eip.app.public_ip]
}

resource "aws_cloudwatch_log_group" "app" {
  #checkov:skip=CKV_AWS_158:AWS-managed encryption at rest is on; a customer-managed KMS key would add a key policy and cost without narrowing who can read, which IAM already scopes.
  name              = local.log_group
  retention_in_days = var.log_retention_days
}

resource "aws_secretsmanager_secret" "app" {
  #checkov:skip=CKV_AWS_149:AWS-managed encryption at rest is on; a customer-managed KMS key would add a key policy and cost without narrowing who can read, which IAM already scopes.
  #checkov:skip=CKV2_AWS_57:The values are third-party keys (Gemini, Firebase) that no rotation function can renew; they are rotated by applying new values (docs/deploy.md).
  name                    = "${var.name}/app"
  description             = "LogSentry settings read at start-up: GEMINI_API_KEY, FIREBASE_CREDENTIALS, STORAGE_SECRET, DATABASE_URL"
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "app" {
  secret_id     = aws_secretsmanager_secret.app.id
  secret_string = jsonencode(var.app_secrets)
}

resource "aws_ecr_repository" "app" {
  #checkov:skip=CKV_AWS_136:AWS-managed encryption at rest is on; a customer-managed KMS key would add a key policy and cost without narrowing who can read, which IAM already scopes.
  count = local.registry_ecr ? 1 : 0

  name                 = var.name
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_lifecycle_policy" "app" {
  count = local.registry_ecr ? 1 : 0

  repository = aws_ecr_repository.app[0].name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the last 30 images (enough to roll back)"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 30 }
      action       = { type = "expire" }
    }]
  })
}
