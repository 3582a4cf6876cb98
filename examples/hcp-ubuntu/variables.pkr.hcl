packer {
  required_version = ">= 1.16.0"

  required_plugins {
    amazon = {
      version = ">= 1.3.0"
      source  = "github.com/hashicorp/amazon"
    }
  }
}

variable "region" {
  type        = string
  description = "AWS region to build in."
  default     = "us-east-1"
}

variable "instance_type" {
  type    = string
  default = "t3.small"
}

variable "bucket_name" {
  type        = string
  description = "HCP Packer bucket that receives the web server image."
  default     = "web_server"
}

locals {
  stamp = formatdate("YYYYMMDDhhmm", timestamp())
}
