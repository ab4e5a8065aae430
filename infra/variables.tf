variable "aws_region" {
  type        = string
  description = "AWS region for every resource, e.g. eu-central-1."
  default     = "eu-central-1"
}

variable "name" {
  type        = string
  description = "Prefix for resource names; also the Project tag."
  default     = "logsentry"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name: lowercase letters, digits and dashes, 2 to 31 characters, starting with a letter."
  }
}

variable "domain_name" {
  type        = string
  description = "Public host name the app is served on over HTTPS, e.g. logs.example.com. Its DNS A record must point at the Elastic IP (created here when route53_zone_id is set)."

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name such as logs.example.com."
  }
}

variable "acme_email" {
  type        = string
  description = "Contact address given to Let's Encrypt for the certificate (expiry warnings)."

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.acme_email))
    error_message = "acme_email must be an email address."
  }
}

variable "route53_zone_id" {
  type        = string
  description = "Route 53 hosted zone that holds domain_name. Empty: no DNS record is created; point the name at the Elastic IP yourself."
  default     = ""
}

variable "instance_type" {
  type        = string
  description = "EC2 instance type (x86_64). t3.small suits a few dozen concurrent users."
  default     = "t3.small"
}

variable "root_volume_size_gb" {
  type        = number
  description = "Size of the encrypted root volume (operating system, Docker images), in GB."
  default     = 20

  validation {
    condition     = var.root_volume_size_gb >= 8
    error_message = "root_volume_size_gb must be at least 8."
  }
}

variable "data_volume_size_gb" {
  type        = number
  description = "Size of the encrypted data volume mounted as the app's DATA_DIR (database, sessions, uploads), in GB. It outlives instance replacements."
  default     = 20

  validation {
    condition     = var.data_volume_size_gb >= 1
    error_message = "data_volume_size_gb must be at least 1."
  }
}

variable "subnet_id" {
  type        = string
  description = "Public subnet for the instance. Empty: a subnet of the account's default VPC."
  default     = ""
}

variable "image_registry" {
  type        = string
  description = "Where deploys push the image: dockerhub (a public repository there) or ecr (a private repository created here)."
  default     = "dockerhub"

  validation {
    condition     = contains(["dockerhub", "ecr"], var.image_registry)
    error_message = "image_registry must be dockerhub or ecr."
  }
}

variable "container_image" {
  type        = string
  description = "Image the instance runs on first boot, e.g. acme/logsentry:latest. Later deploys replace it. Empty: the app starts with the first deploy."
  default     = ""
}

variable "app_secrets" {
  type        = map(string)
  description = "Values stored in the Secrets Manager secret the app reads at start-up. Allowed keys: GEMINI_API_KEY, FIREBASE_CREDENTIALS, STORAGE_SECRET, DATABASE_URL. Pass them through TF_VAR_app_secrets, never a committed file."
  sensitive   = true

  validation {
    condition     = alltrue([for key in keys(var.app_secrets) : contains(["GEMINI_API_KEY", "FIREBASE_CREDENTIALS", "STORAGE_SECRET", "DATABASE_URL"], key)])
    error_message = "app_secrets keys must be among GEMINI_API_KEY, FIREBASE_CREDENTIALS, STORAGE_SECRET, DATABASE_URL."
  }
}

variable "app_environment" {
  type        = map(string)
  description = "Further non-secret settings for the container, e.g. { GEMINI_MODEL = \"gemini-2.5-flash\", FIREBASE_PROJECT_ID = \"my-project\" }."
  default     = {}
}

variable "worker_containers" {
  type        = number
  description = "Containers on the instance that read the logs the app queues (`python main.py worker`, from the app's image). 0: the app reads each log in a process of its own. Above 0, logs wait in a queue on Redis: the one at REDIS_URL in app_environment, or else a Redis container on the instance."
  default     = 0

  validation {
    condition     = var.worker_containers >= 0 && var.worker_containers <= 16 && floor(var.worker_containers) == var.worker_containers
    error_message = "worker_containers must be a whole number from 0 to 16."
  }
}

variable "github_repository" {
  type        = string
  description = "GitHub repository (owner/name) whose main-branch workflow may deploy through OIDC."

  validation {
    condition     = can(regex("^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "github_branch" {
  type        = string
  description = "The only branch whose workflow runs may assume the deploy role."
  default     = "main"
}

variable "create_github_oidc_provider" {
  type        = bool
  description = "Create the account's GitHub OIDC provider. Set false when the account already has one (there can be only one)."
  default     = true
}

variable "log_retention_days" {
  type        = number
  description = "How long CloudWatch keeps the container logs, in days."
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 365, ... 3653)."
  }
}
